package fr.coffre.metadata;

import fr.coffre.core.OperatorRecord;
import fr.coffre.core.ProposalRecord;
import fr.coffre.core.SupportWindow;
import fr.coffre.core.TenantEnrolment;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who governs the operator plane, as rows: tenants' enrolments and support windows (the tenant's
 * consent to operator help), named operators and their sign-in state, and four-eyes proposals.
 * Every mutating method is one durable transaction; the conditional ones decide in one statement,
 * so two nodes (or two requests) racing on the same row cannot both win.
 */
public interface GovernanceStore {

  /** Records (or replaces, while not redeemed) a tenant's enrolment; false if already redeemed. */
  boolean putEnrolment(TenantEnrolment enrolment);

  Optional<TenantEnrolment> enrolment(String tenant);

  /**
   * Marks the enrolment redeemed by {@code admin} if {@code tokenHash} is its token's, it was not
   * redeemed yet and has not expired at {@code now}: true for exactly one caller.
   */
  boolean redeemEnrolment(String tenant, String tokenHash, String admin, Instant now);

  void addSupportWindow(SupportWindow window);

  /** A tenant's support windows, newest first. */
  List<SupportWindow> supportWindows(String tenant);

  /**
   * Revokes an open window at {@code now}; false if there is none of that id, or it was revoked.
   */
  boolean revokeSupportWindow(String tenant, String id, String by, Instant now);

  /** Records a new operator; false if the name is taken. */
  boolean createOperator(OperatorRecord operator);

  Optional<OperatorRecord> operator(String name);

  /** Every operator, by name. */
  List<OperatorRecord> operators();

  /** Replaces an operator's roles; false if there is none of that name. */
  boolean setOperatorRoles(String name, Set<OperatorRecord.Role> roles);

  /** Records a failed sign-in (the count and the lock-out it leads to). */
  void setOperatorFailures(String name, int failures, @Nullable Instant lockedUntil);

  /**
   * Records a successful sign-in with the TOTP time step {@code step}: true (and failures reset) if
   * {@code step} is newer than every step used before, false (nothing changed) for a replayed or
   * older code.
   */
  boolean useTotpStep(String name, long step);

  /** Removes an operator; false if there is none of that name. */
  boolean deleteOperator(String name);

  /**
   * Replaces an operator's sealed TOTP secret (a root key rotation's re-wrap) if the row still
   * holds {@code current}; false otherwise.
   */
  boolean resealOperatorTotp(String name, byte[] current, byte[] sealed);

  void addProposal(ProposalRecord proposal);

  Optional<ProposalRecord> proposal(String id);

  /** Every proposal, newest first. */
  List<ProposalRecord> proposals();

  /**
   * Approves a proposal if it is pending at {@code now} and {@code approver} did not propose it:
   * true for exactly one caller.
   */
  boolean approveProposal(String id, String approver, Instant now);

  /** Records the status the approved call returned. */
  void setProposalResult(String id, int status);
}
