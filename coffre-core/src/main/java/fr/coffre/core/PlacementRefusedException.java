package fr.coffre.core;

/**
 * A write, or a bucket's class, that the placement rules cannot satisfy: not enough allowed volumes
 * (or capacity) for the bucket's sensitivity class, an unknown class, or a class that refuses the
 * server's root-key mode. Nothing is written anywhere else instead.
 */
public final class PlacementRefusedException extends CoffreException {
  /**
   * Why: not now ({@code UNSATISFIABLE}: space or volumes short, may pass later; {@code FULL}: the
   * volumes the class allows are online but under their free-space reserve or read-only, so writes
   * wait until space is freed while reads and deletes go on), or never with this configuration (an
   * unknown class, a key mode the class refuses, a class the volumes and sites can never satisfy,
   * data out of class): the operator must act, and a client must not retry.
   */
  public enum Reason {
    UNSATISFIABLE,
    FULL,
    UNKNOWN_CLASS,
    KEY_MODE,
    NEVER_SATISFIABLE,
    DATA_OUT_OF_CLASS
  }

  /** Whether retrying cannot help until the operator changes the configuration. */
  public boolean permanent() {
    return reason != Reason.UNSATISFIABLE && reason != Reason.FULL;
  }

  private final Reason reason;

  public PlacementRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
