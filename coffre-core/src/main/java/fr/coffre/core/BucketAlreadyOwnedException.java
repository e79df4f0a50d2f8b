package fr.coffre.core;

/**
 * The bucket to create already exists: it belongs to the caller, or (bucket names being global) to
 * another tenant, which the caller is told without learning which.
 */
public final class BucketAlreadyOwnedException extends CoffreException {
  private final boolean byAnother;

  public BucketAlreadyOwnedException(String bucket) {
    this(bucket, false);
  }

  public BucketAlreadyOwnedException(String bucket, boolean byAnother) {
    super(
        byAnother
            ? "The requested bucket name is not available: " + bucket
            : "Your previous request to create the named bucket succeeded and you already own it: "
                + bucket);
    this.byAnother = byAnother;
  }

  /** Whether another tenant owns it. */
  public boolean byAnother() {
    return byAnother;
  }
}
