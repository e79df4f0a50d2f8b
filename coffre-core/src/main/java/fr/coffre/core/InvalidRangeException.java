package fr.coffre.core;

/** A Range that does not overlap the object. */
public final class InvalidRangeException extends CoffreException {
  private final long size;

  public InvalidRangeException(long size) {
    super("The requested range is not satisfiable");
    this.size = size;
  }

  /** The size of the object the range was asked of. */
  public long size() {
    return size;
  }
}
