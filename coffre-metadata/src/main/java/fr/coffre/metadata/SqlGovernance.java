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

/** The {@link GovernanceStore} of the SQL stores. */
final class SqlGovernance implements GovernanceStore {
  private final SqlDatabase db;

  SqlGovernance(SqlDatabase db) {
    this.db = db;
  }

  @Override
  public boolean putEnrolment(TenantEnrolment enrolment) {
    return db.transaction("putEnrolment", s -> s.governance().putEnrolment(enrolment));
  }

  @Override
  public Optional<TenantEnrolment> enrolment(String tenant) {
    return db.read("enrolment", s -> s.governance().enrolment(tenant));
  }

  @Override
  public boolean redeemEnrolment(String tenant, String tokenHash, String admin, Instant now) {
    return db.transaction(
        "redeemEnrolment", s -> s.governance().redeem(tenant, tokenHash, admin, now));
  }

  @Override
  public void addSupportWindow(SupportWindow window) {
    db.transaction(
        "addSupportWindow",
        s -> {
          s.governance().addWindow(window);
          return null;
        });
  }

  @Override
  public List<SupportWindow> supportWindows(String tenant) {
    return db.read("supportWindows", s -> s.governance().windows(tenant));
  }

  @Override
  public boolean revokeSupportWindow(String tenant, String id, String by, Instant now) {
    return db.transaction(
        "revokeSupportWindow", s -> s.governance().revokeWindow(tenant, id, by, now));
  }

  @Override
  public boolean createOperator(OperatorRecord operator) {
    return db.transaction("createOperator", s -> s.governance().createOperator(operator));
  }

  @Override
  public Optional<OperatorRecord> operator(String name) {
    return db.read("operator", s -> s.governance().operator(name));
  }

  @Override
  public List<OperatorRecord> operators() {
    return db.read("operators", s -> s.governance().operators());
  }

  @Override
  public boolean setOperatorRoles(String name, Set<OperatorRecord.Role> roles) {
    return db.transaction("setOperatorRoles", s -> s.governance().setRoles(name, roles));
  }

  @Override
  public void setOperatorFailures(String name, int failures, @Nullable Instant lockedUntil) {
    db.transaction(
        "setOperatorFailures",
        s -> {
          s.governance().setFailures(name, failures, lockedUntil);
          return null;
        });
  }

  @Override
  public boolean useTotpStep(String name, long step) {
    return db.transaction("useTotpStep", s -> s.governance().useStep(name, step));
  }

  @Override
  public boolean resealOperatorTotp(String name, byte[] current, byte[] sealed) {
    return db.transaction(
        "resealOperatorTotp", s -> s.governance().resealTotp(name, current, sealed));
  }

  @Override
  public boolean deleteOperator(String name) {
    return db.transaction("deleteOperator", s -> s.governance().deleteOperator(name));
  }

  @Override
  public void addProposal(ProposalRecord proposal) {
    db.transaction(
        "addProposal",
        s -> {
          s.governance().addProposal(proposal);
          return null;
        });
  }

  @Override
  public Optional<ProposalRecord> proposal(String id) {
    return db.read("proposal", s -> s.governance().proposal(id));
  }

  @Override
  public List<ProposalRecord> proposals() {
    return db.read("proposals", s -> s.governance().proposals());
  }

  @Override
  public boolean approveProposal(String id, String approver, Instant now) {
    return db.transaction("approveProposal", s -> s.governance().approve(id, approver, now));
  }

  @Override
  public void setProposalResult(String id, int status) {
    db.transaction(
        "setProposalResult",
        s -> {
          s.governance().setResult(id, status);
          return null;
        });
  }
}
