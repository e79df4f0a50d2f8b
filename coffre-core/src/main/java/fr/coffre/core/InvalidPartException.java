package fr.coffre.core;

/** A completion names parts that are missing, out of order, mismatched or too small. */
public final class InvalidPartException extends CoffreException {
  /** Why the part list was refused, each with its S3 meaning. */
  public enum Reason {
    MISSING_OR_MISMATCHED,
    ORDER,
    TOO_SMALL
  }

  private final Reason reason;

  public InvalidPartException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
