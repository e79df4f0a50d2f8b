package fr.coffre.policy.placement;

/**
 * No placement satisfies a sensitivity class: too few allowed, online volumes with enough free
 * space, or on too few sites. The message says precisely which rule failed and why each location
 * was refused; the write must fail, nothing is written elsewhere.
 */
public final class PlacementException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A refusal with a human-readable explanation. */
  public PlacementException(String message) {
    super(message);
  }
}
