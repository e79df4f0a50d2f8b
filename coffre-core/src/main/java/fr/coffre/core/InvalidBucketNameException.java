package fr.coffre.core;

/** A bucket name breaks the naming rules. */
public final class InvalidBucketNameException extends CoffreException {
  public InvalidBucketNameException(String name, String why) {
    super("The specified bucket is not valid: " + why);
  }
}
