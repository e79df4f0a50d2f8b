package fr.coffre.service;

import fr.coffre.core.GovernanceException;
import fr.coffre.core.GovernanceException.Reason;
import fr.coffre.core.ProposalRecord;
import fr.coffre.metadata.GovernanceStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Four eyes on the destructive and sovereignty-changing admin calls: one named operator proposes
 * the call (kept as it was sent), another approves it before it expires, and only then it runs. The
 * database decides the approval in one statement: never by the proposer, never twice, never after
 * {@link #TTL}.
 */
public final class Proposals {
  public static final Duration TTL = Duration.ofHours(24);

  private final GovernanceStore store;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public Proposals(GovernanceStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public ProposalRecord propose(String method, String path, String body, String proposer) {
    byte[] id = new byte[8];
    random.nextBytes(id);
    Instant now = clock.instant();
    ProposalRecord p =
        new ProposalRecord(
            "pr-" + HexFormat.of().formatHex(id),
            method,
            path,
            body,
            proposer,
            now,
            now.plus(TTL),
            null,
            null,
            0);
    store.addProposal(p);
    return p;
  }

  public ProposalRecord get(String id) {
    return store
        .proposal(id)
        .orElseThrow(() -> new GovernanceException(Reason.NO_SUCH_PROPOSAL, "no proposal " + id));
  }

  public List<ProposalRecord> list() {
    return store.proposals();
  }

  /**
   * Approves a pending proposal for {@code approver}, who must not be its proposer; the caller then
   * runs the call and records its status with {@link #ran}.
   */
  public ProposalRecord approve(String id, String approver) {
    ProposalRecord p = get(id);
    Instant now = clock.instant();
    if (!store.approveProposal(id, approver, now)) {
      String why =
          p.proposedBy().equals(approver)
              ? "an operator cannot approve its own proposal; another operator must"
              : p.approved() != null
                  ? "proposal " + id + " was approved already, by " + p.approvedBy()
                  : !now.isBefore(p.expires())
                      ? "proposal " + id + " expired at " + p.expires() + "; propose it again"
                      : "proposal " + id + " cannot be approved now";
      throw new GovernanceException(Reason.PROPOSAL_REFUSED, why);
    }
    return get(id);
  }

  public void ran(String id, int status) {
    store.setProposalResult(id, status);
  }
}
