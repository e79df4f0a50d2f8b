package fr.coffre.policy;

/** Where a policy is attached, which decides whether its statements name a principal. */
public enum PolicyKind {
  /** Attached to a user: the user is the principal, so Principal and NotPrincipal are refused. */
  IDENTITY,
  /**
   * Attached to a bucket: every statement must say whom it is about (Principal or NotPrincipal).
   */
  BUCKET
}
