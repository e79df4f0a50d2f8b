package fr.coffre.core;

/**
 * A refusal of the operator plane's governance: the tenant has not consented to operator help, the
 * caller is not the tenant's admin, an enrolment link that does not hold, an operator or a proposal
 * that does not exist or cannot be used (docs/identities.md, "Operators and tenant consent").
 */
public final class GovernanceException extends CoffreException {
  /** What is refused; the admin API answers each with its own code. */
  public enum Reason {
    /** The operator acts inside an enrolled tenant without an open support window of that scope. */
    TENANT_CONSENT_REQUIRED,
    /** Only the tenant's admin opens or revokes support windows. */
    NOT_TENANT_ADMIN,
    /** An enrolment token that is wrong, used or expired. */
    ENROLMENT_REFUSED,
    /** The tenant's first admin has enrolled already. */
    ALREADY_ENROLLED,
    NO_SUCH_WINDOW,
    NO_SUCH_OPERATOR,
    OPERATOR_EXISTS,
    /** The operator's roles do not allow the call. */
    ROLE_REFUSED,
    /** A grant that would give one operator two roles declared incompatible. */
    DUTIES_CONFLICT,
    NO_SUCH_PROPOSAL,
    /** One's own proposal, an expired one, or one approved already. */
    PROPOSAL_REFUSED,
    /** A password too short to be an operator's. */
    WEAK_PASSWORD
  }

  private final Reason reason;

  public GovernanceException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
