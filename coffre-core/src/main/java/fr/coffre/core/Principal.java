package fr.coffre.core;

import org.jspecify.annotations.Nullable;

/**
 * Who sent a request: a user of a tenant, a tenant's root (the root credentials of the default
 * tenant), or nobody (an unsigned request).
 *
 * @param tenant the tenant's name, or null when anonymous
 * @param accountId the tenant's twelve-digit account id, or null when anonymous
 * @param user the user's name, or null for a tenant root and for anonymous
 * @param accessKey the access key that signed the request, or null when anonymous
 */
public record Principal(
    @Nullable String tenant,
    @Nullable String accountId,
    @Nullable String user,
    @Nullable String accessKey) {
  private static final Principal ANONYMOUS = new Principal(null, null, null, null);

  public static Principal anonymous() {
    return ANONYMOUS;
  }

  public boolean isAnonymous() {
    return tenant == null;
  }

  /** A tenant's root: every right over what the tenant owns, except what a bucket policy denies. */
  public boolean isRoot() {
    return tenant != null && user == null;
  }

  /** The IAM ARN that policies name this principal by, or "*" when anonymous. */
  public String arn() {
    if (isAnonymous()) {
      return "*";
    }
    return "arn:aws:iam::" + accountId + (isRoot() ? ":root" : ":user/" + user);
  }
}
