package fr.coffre.core;

/**
 * A read or write of an SSE-C object without its key, with another key, or with a key it does not
 * use.
 */
public final class CustomerKeyException extends CoffreException {
  /** What is wrong, each with its S3 answer. */
  public enum Reason {
    /** The object is encrypted with a customer key and none was given. */
    REQUIRED,
    /** The key given is not the object's. */
    MISMATCH,
    /** A key was given for an object that does not use one. */
    NOT_APPLICABLE
  }

  private final Reason reason;

  public CustomerKeyException(Reason reason) {
    super(
        switch (reason) {
          case REQUIRED ->
              "The object was stored using a form of Server Side Encryption."
                  + " The correct parameters must be provided to retrieve the object.";
          case MISMATCH ->
              "The customer-provided key does not match the key the object was stored with.";
          case NOT_APPLICABLE -> "The encryption parameters are not applicable to this object.";
        });
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
