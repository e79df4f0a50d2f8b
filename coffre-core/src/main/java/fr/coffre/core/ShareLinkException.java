package fr.coffre.core;

/** A share link that does not exist, no longer works, or whose password was not given. */
public final class ShareLinkException extends CoffreException {
  /** Why; the console answers 404, 410 (ended) or 403 (password). */
  public enum Reason {
    NOT_FOUND,
    REVOKED,
    EXPIRED,
    USED_UP,
    OBJECT_CHANGED,
    PASSWORD_REQUIRED,
    WRONG_PASSWORD,
    LOCKED
  }

  private final Reason reason;

  public ShareLinkException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
