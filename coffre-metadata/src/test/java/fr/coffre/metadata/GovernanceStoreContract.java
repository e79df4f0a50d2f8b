package fr.coffre.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.core.OperatorRecord;
import fr.coffre.core.ProposalRecord;
import fr.coffre.core.Quota;
import fr.coffre.core.SupportWindow;
import fr.coffre.core.TenantEnrolment;
import fr.coffre.core.TenantRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link GovernanceStore} must have; an implementation's test extends this. */
public abstract class GovernanceStoreContract {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  protected MetadataStore store;

  /** A new, empty store; the contract closes it after each test. */
  protected abstract MetadataStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    store.createTenant(new TenantRecord("mairie", "123456789012", T0, Quota.NONE));
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private GovernanceStore g() {
    return store.governance();
  }

  @Test
  void enrolment_redeemedOnce_withItsTokenBeforeItExpires() {
    assertThat(g().enrolment("mairie")).isEmpty();
    assertThat(
            g().putEnrolment(
                    new TenantEnrolment("mairie", "h1", T0, T0.plusSeconds(3600), null, null)))
        .isTrue();
    assertThat(g().redeemEnrolment("mairie", "wrong", "alice", T0.plusSeconds(1))).isFalse();
    assertThat(g().redeemEnrolment("mairie", "h1", "alice", T0.plusSeconds(3600))).isFalse();
    assertThat(g().redeemEnrolment("mairie", "h1", "alice", T0.plusSeconds(10))).isTrue();
    assertThat(g().redeemEnrolment("mairie", "h1", "mallory", T0.plusSeconds(11))).isFalse();
    TenantEnrolment e = g().enrolment("mairie").orElseThrow();
    assertThat(e.admin()).isEqualTo("alice");
    assertThat(e.redeemed()).isEqualTo(T0.plusSeconds(10));
    // A redeemed enrolment is never replaced by a new link.
    assertThat(
            g().putEnrolment(
                    new TenantEnrolment("mairie", "h2", T0, T0.plusSeconds(3600), null, null)))
        .isFalse();
    assertThat(g().enrolment("mairie").orElseThrow().tokenHash()).isEqualTo("h1");
  }

  @Test
  void enrolment_notRedeemed_isReplacedByANewLink() {
    g().putEnrolment(new TenantEnrolment("mairie", "h1", T0, T0.plusSeconds(60), null, null));
    g().putEnrolment(new TenantEnrolment("mairie", "h2", T0, T0.plusSeconds(60), null, null));
    assertThat(g().redeemEnrolment("mairie", "h1", "alice", T0)).isFalse();
    assertThat(g().redeemEnrolment("mairie", "h2", "alice", T0)).isTrue();
  }

  @Test
  void supportWindows_listedNewestFirst_revokedOnce_goneWithTheirTenant() {
    g().addSupportWindow(
            new SupportWindow(
                "w1",
                "mairie",
                Set.of(SupportWindow.Scope.ACCESS_KEYS),
                "mairie/alice",
                T0,
                T0.plusSeconds(600),
                null,
                null));
    g().addSupportWindow(
            new SupportWindow(
                "w2",
                "mairie",
                Set.of(SupportWindow.Scope.POLICIES, SupportWindow.Scope.USERS),
                "mairie/alice",
                T0.plusSeconds(5),
                T0.plusSeconds(600),
                null,
                null));
    assertThat(g().supportWindows("mairie"))
        .extracting(SupportWindow::id)
        .containsExactly("w2", "w1");
    assertThat(g().supportWindows("mairie").get(0).scope())
        .containsExactlyInAnyOrder(SupportWindow.Scope.POLICIES, SupportWindow.Scope.USERS);
    assertThat(g().revokeSupportWindow("mairie", "w1", "mairie/bob", T0.plusSeconds(9))).isTrue();
    assertThat(g().revokeSupportWindow("mairie", "w1", "mairie/bob", T0.plusSeconds(10))).isFalse();
    assertThat(g().revokeSupportWindow("other", "w2", "x", T0)).isFalse();
    SupportWindow w1 = g().supportWindows("mairie").get(1);
    assertThat(w1.revoked()).isEqualTo(T0.plusSeconds(9));
    assertThat(w1.revokedBy()).isEqualTo("mairie/bob");
    assertThat(w1.openAt(T0.plusSeconds(20))).isFalse();
    store.deleteTenant("mairie");
    assertThat(g().supportWindows("mairie")).isEmpty();
  }

  private static OperatorRecord operator(String name) {
    return new OperatorRecord(
        name,
        Set.of(OperatorRecord.Role.OPERATOR),
        "pbkdf2-sha256$1$c2FsdA$aGFzaA",
        new byte[] {1, 2, 3},
        0,
        0,
        null,
        T0,
        "bootstrap");
  }

  @Test
  void resealOperatorTotp_currentSecret_isReplacedOnce() {
    g().createOperator(operator("dora"));
    assertThat(g().resealOperatorTotp("dora", new byte[] {9}, new byte[] {4})).isFalse();
    assertThat(g().resealOperatorTotp("dora", new byte[] {1, 2, 3}, new byte[] {4})).isTrue();
    assertThat(g().operator("dora").orElseThrow().sealedTotpSecret()).containsExactly(4);
  }

  @Test
  void operators_totpStepUsedOnce_failuresAndLockoutPersisted() {
    assertThat(g().createOperator(operator("alice"))).isTrue();
    assertThat(g().createOperator(operator("alice"))).isFalse();
    g().setOperatorFailures("alice", 3, T0.plusSeconds(900));
    OperatorRecord a = g().operator("alice").orElseThrow();
    assertThat(a.failures()).isEqualTo(3);
    assertThat(a.lockedUntil()).isEqualTo(T0.plusSeconds(900));
    assertThat(a.sealedTotpSecret()).containsExactly(1, 2, 3);
    assertThat(g().useTotpStep("alice", 100)).isTrue();
    assertThat(g().useTotpStep("alice", 100)).isFalse();
    assertThat(g().useTotpStep("alice", 99)).isFalse();
    a = g().operator("alice").orElseThrow();
    assertThat(a.lastTotpStep()).isEqualTo(100);
    assertThat(a.failures()).isZero();
    assertThat(a.lockedUntil()).isNull();
    assertThat(
            g().setOperatorRoles(
                    "alice",
                    Set.of(OperatorRecord.Role.AUDITOR, OperatorRecord.Role.SECURITY_OFFICER)))
        .isTrue();
    assertThat(g().operator("alice").orElseThrow().roles())
        .containsExactlyInAnyOrder(
            OperatorRecord.Role.AUDITOR, OperatorRecord.Role.SECURITY_OFFICER);
    g().createOperator(operator("bob"));
    assertThat(g().operators()).extracting(OperatorRecord::name).containsExactly("alice", "bob");
    assertThat(g().deleteOperator("bob")).isTrue();
    assertThat(g().deleteOperator("bob")).isFalse();
  }

  @Test
  void proposal_approvedOnceByAnotherOperatorBeforeItExpires() {
    Duration ttl = Duration.ofHours(1);
    g().addProposal(
            new ProposalRecord(
                "p1",
                "DELETE",
                "/admin/v1/tenants/mairie",
                "",
                "alice",
                T0,
                T0.plus(ttl),
                null,
                null,
                0));
    assertThat(g().approveProposal("p1", "alice", T0.plusSeconds(1))).isFalse();
    assertThat(g().approveProposal("p1", "bob", T0.plus(ttl))).isFalse();
    assertThat(g().approveProposal("nope", "bob", T0)).isFalse();
    assertThat(g().approveProposal("p1", "bob", T0.plusSeconds(2))).isTrue();
    assertThat(g().approveProposal("p1", "carol", T0.plusSeconds(3))).isFalse();
    g().setProposalResult("p1", 204);
    ProposalRecord p = g().proposal("p1").orElseThrow();
    assertThat(p.approvedBy()).isEqualTo("bob");
    assertThat(p.approved()).isEqualTo(T0.plusSeconds(2));
    assertThat(p.result()).isEqualTo(204);
    assertThat(g().proposals()).hasSize(1);
  }
}
