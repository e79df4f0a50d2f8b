package fr.coffre.core;

/** A read names a part number the object does not have. */
public final class InvalidPartNumberException extends CoffreException {
  private final int partsCount;

  public InvalidPartNumberException(int partNumber, int partsCount) {
    super(
        "The requested partnumber "
            + partNumber
            + " is not satisfiable; the object has "
            + partsCount
            + (partsCount == 1 ? " part" : " parts"));
    this.partsCount = partsCount;
  }

  public int partsCount() {
    return partsCount;
  }
}
