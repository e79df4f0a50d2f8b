package fr.coffre.core;

/** An If-Match or If-Unmodified-Since condition did not hold. */
public final class PreconditionFailedException extends CoffreException {
  private final String condition;

  public PreconditionFailedException(String condition) {
    super("At least one of the pre-conditions you specified did not hold");
    this.condition = condition;
  }

  /** The header whose condition failed. */
  public String condition() {
    return condition;
  }
}
