package fr.coffre.core;

/**
 * A tenant, user, role, group, access key or policy that does not exist, already exists, or cannot
 * go yet.
 */
public final class IdentityException extends CoffreException {
  /** What is wrong; the admin API answers 404 for the missing, 409 for the conflicting. */
  public enum Reason {
    NO_SUCH_TENANT,
    TENANT_EXISTS,
    TENANT_NOT_EMPTY,
    NO_SUCH_USER,
    USER_EXISTS,
    NO_SUCH_ACCESS_KEY,
    NO_SUCH_POLICY,
    LIMIT_EXCEEDED,
    NO_SUCH_ROLE,
    ROLE_EXISTS,
    NO_SUCH_GROUP,
    GROUP_EXISTS,
    POLICY_EXISTS,
    /** Temporary credentials used after their expiry. */
    EXPIRED_TOKEN,
    /** A session token that does not belong to the access key it came with. */
    INVALID_TOKEN,
    /** A web identity token (OIDC) refused: signature, issuer, audience, algorithm or time. */
    INVALID_IDENTITY_TOKEN
  }

  private final Reason reason;

  public IdentityException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
