package fr.coffre.policy;

/**
 * The answer to an access review: could this caller do this action on this resource, judged from
 * the policies alone, without a live request? Conditions cannot be judged without a request, so a
 * statement that has any (or whose Resource needs a policy variable the caller does not supply)
 * counts as "sometimes". From most to least permissive:
 *
 * <ul>
 *   <li>{@link #ALLOWED}: some unconditional Allow applies and no Deny can apply.
 *   <li>{@link #CONDITIONAL}: only conditional Allows apply, and no Deny can apply.
 *   <li>{@link #CONDITIONALLY_DENIED}: something allows it, but a conditional Deny applies too, so
 *       the request is refused whenever that Deny's conditions hold.
 *   <li>{@link #NOT_GRANTED}: nothing allows it (an implicit deny; a conditional Deny may apply
 *       too).
 *   <li>{@link #DENIED}: an unconditional Deny applies: never allowed, whatever else says.
 * </ul>
 */
public enum Review {
  ALLOWED,
  CONDITIONAL,
  CONDITIONALLY_DENIED,
  NOT_GRANTED,
  DENIED;

  /** Folds how surely something is denied and how surely something grants into one answer. */
  static Review of(Certainty deny, Certainty grant) {
    if (deny == Certainty.ALWAYS) {
      return DENIED;
    }
    if (grant == Certainty.NEVER) {
      return NOT_GRANTED;
    }
    if (deny == Certainty.SOMETIMES) {
      return CONDITIONALLY_DENIED;
    }
    return grant == Certainty.ALWAYS ? ALLOWED : CONDITIONAL;
  }
}
