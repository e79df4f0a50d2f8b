package fr.coffre.core;

/** The upload exceeds the largest size accepted. */
public final class EntityTooLargeException extends CoffreException {
  public EntityTooLargeException(long max) {
    super("Your proposed upload exceeds the maximum allowed object size of " + max + " bytes");
  }
}
