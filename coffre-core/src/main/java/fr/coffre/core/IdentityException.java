package fr.coffre.core;

/** A tenant, user, access key or policy that does not exist, already exists, or cannot go yet. */
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
    LIMIT_EXCEEDED
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
