package fr.coffre.core;

/**
 * A write, or a bucket's class, that the placement rules cannot satisfy: not enough allowed
 * volumes (or capacity) for the bucket's sensitivity class, an unknown class, or a class that
 * refuses the server's root-key mode. Nothing is written anywhere else instead.
 */
public final class PlacementRefusedException extends CoffreException {
  /** Why: the operator must act (volumes, sites), or the request named what cannot be. */
  public enum Reason { UNSATISFIABLE, UNKNOWN_CLASS, KEY_MODE, DATA_OUT_OF_CLASS }

  private final Reason reason;

  public PlacementRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
