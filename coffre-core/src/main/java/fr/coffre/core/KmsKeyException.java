package fr.coffre.core;

/** A KMS key that does not exist or whose state forbids the use asked of it. */
public final class KmsKeyException extends CoffreException {
  /** What is wrong, each with the error S3 answers with. */
  public enum Reason {
    /** No key has this id or alias. */
    NOT_FOUND,
    /** The key is disabled: it neither encrypts nor decrypts until enabled again. */
    DISABLED,
    /** The key is scheduled for deletion: unusable, but the deletion can still be cancelled. */
    PENDING_DELETION,
    /** The key material was destroyed: what it protected is unrecoverable. */
    DESTROYED
  }

  private final Reason reason;
  private final String keyId;

  public KmsKeyException(Reason reason, String keyId) {
    super(
        switch (reason) {
          case NOT_FOUND -> "Invalid keyId " + keyId;
          case DISABLED -> keyId + " is disabled.";
          case PENDING_DELETION -> keyId + " is pending deletion.";
          case DESTROYED ->
              keyId + " was destroyed: data encrypted under it can no longer be decrypted.";
        });
    this.reason = reason;
    this.keyId = keyId;
  }

  public Reason reason() {
    return reason;
  }

  public String keyId() {
    return keyId;
  }
}
