package fr.coffre.policy;

/**
 * What one policy says about one request; also the effect a statement declares (never
 * NOT_APPLICABLE).
 */
public enum Effect {
  /** An Allow statement applies and no Deny statement does. */
  ALLOW,
  /** An explicit Deny statement applies; it wins over every Allow. */
  DENY,
  /**
   * No statement applies: the policy has nothing to say (an implicit deny, once all policies are
   * combined).
   */
  NOT_APPLICABLE
}
