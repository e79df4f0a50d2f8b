package fr.coffre.core;

import org.jspecify.annotations.Nullable;

/**
 * Who sent a request: a user of a tenant, a role session of a tenant (temporary credentials from
 * STS), a tenant's root (the root credentials of the default tenant), or nobody (an unsigned
 * request).
 *
 * @param tenant the tenant's name, or null when anonymous
 * @param accountId the tenant's twelve-digit account id, or null when anonymous
 * @param user the user's name, or null for a tenant root, a role session and for anonymous
 * @param accessKey the access key that signed the request, or null when anonymous
 * @param role the role a role session acts as, else null
 * @param session the role session's name (RoleSessionName), else null
 */
public record Principal(
    @Nullable String tenant,
    @Nullable String accountId,
    @Nullable String user,
    @Nullable String accessKey,
    @Nullable String role,
    @Nullable String session) {
  private static final Principal ANONYMOUS = new Principal(null, null, null, null);

  /** A user, a tenant root or anonymous (no role session). */
  public Principal(
      @Nullable String tenant,
      @Nullable String accountId,
      @Nullable String user,
      @Nullable String accessKey) {
    this(tenant, accountId, user, accessKey, null, null);
  }

  /** The principal of temporary credentials acting as {@code role}. */
  public static Principal roleSession(
      String tenant, String accountId, String role, String session, String accessKey) {
    return new Principal(tenant, accountId, null, accessKey, role, session);
  }

  /** Temporary credentials acting as a role. */
  public boolean isRoleSession() {
    return role != null;
  }

  public static Principal anonymous() {
    return ANONYMOUS;
  }

  public boolean isAnonymous() {
    return tenant == null;
  }

  /** A tenant's root: every right over what the tenant owns, except what a bucket policy denies. */
  public boolean isRoot() {
    return tenant != null && user == null && role == null;
  }

  /** The IAM ARN that policies name this principal by, or "*" when anonymous. */
  public String arn() {
    if (isAnonymous()) {
      return "*";
    }
    if (role != null) {
      return "arn:aws:sts::" + accountId + ":assumed-role/" + role + "/" + session;
    }
    return "arn:aws:iam::" + accountId + (isRoot() ? ":root" : ":user/" + user);
  }

  /** The role's own ARN for a role session ({@code arn:aws:iam::ACCOUNT:role/NAME}), else null. */
  public @Nullable String roleArn() {
    return role == null ? null : "arn:aws:iam::" + accountId + ":role/" + role;
  }
}
