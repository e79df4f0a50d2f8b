package fr.coffre.core;

/** The bucket to create already exists and belongs to the caller. */
public final class BucketAlreadyOwnedException extends CoffreException {
  public BucketAlreadyOwnedException(String bucket) {
    super("Your previous request to create the named bucket succeeded and you already own it: " + bucket);
  }
}
