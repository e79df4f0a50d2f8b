package fr.coffre.core;

/** An Object Lock rule refused a request. */
public final class ObjectLockException extends CoffreException {
  /** Why. */
  public enum Reason {
    /** A retention or legal hold protects the version (403 AccessDenied). */
    LOCKED,
    /** The bucket's state does not allow it, e.g. suspending a locked bucket (409). */
    INVALID_BUCKET_STATE,
    /** Object Lock is not enabled on the bucket (400 InvalidRequest). */
    NOT_ENABLED,
    /** The bucket has no Object Lock configuration (404). */
    NO_CONFIGURATION
  }

  private final Reason reason;

  public ObjectLockException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
