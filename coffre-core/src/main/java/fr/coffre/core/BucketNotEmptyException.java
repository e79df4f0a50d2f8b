package fr.coffre.core;

/** A bucket that still holds objects cannot be deleted. */
public final class BucketNotEmptyException extends CoffreException {
  public BucketNotEmptyException(String bucket) {
    super("The bucket you tried to delete is not empty: " + bucket);
  }
}
