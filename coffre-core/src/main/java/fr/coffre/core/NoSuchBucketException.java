package fr.coffre.core;

/** The named bucket does not exist. */
public final class NoSuchBucketException extends CoffreException {
  private final String bucket;

  public NoSuchBucketException(String bucket) {
    super("The specified bucket does not exist");
    this.bucket = bucket;
  }

  public String bucket() {
    return bucket;
  }
}
