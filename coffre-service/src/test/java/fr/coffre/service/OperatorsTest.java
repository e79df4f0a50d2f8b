package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.GovernanceException;
import fr.coffre.core.OperatorRecord.Role;
import fr.coffre.core.ProposalRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorsTest {
  private static final String PASSWORD = "correct horse battery";

  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;
  private Operators operators;
  private byte[] aliceSecret;

  @BeforeEach
  void open() {
    f = ServiceFixture.open(dir);
    operators =
        new Operators(
            f.metadata.governance(),
            f.rootKey,
            f.clock,
            new PasswordHashes(1000),
            Operators.DEFAULT_INCOMPATIBLE);
    Operators.NewOperator alice =
        operators.create("alice", Set.of(Role.OPERATOR), PASSWORD, "bootstrap");
    aliceSecret = decodeBase32(alice.totpSecret());
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private static byte[] decodeBase32(String s) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : s.toCharArray()) {
      buffer = (buffer << 5) | alphabet.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }

  private String code(long stepOffset) {
    return Totp.code(aliceSecret, Totp.step(f.clock.instant()) + stepOffset, 6);
  }

  private Operators.SignInFailure failure(String password, String code) {
    return operators.signIn("alice", password, code).failure();
  }

  @Test
  void signIn_rightPasswordAndCode_succeeds() {
    Operators.SignIn s = operators.signIn("alice", PASSWORD, code(0));
    assertThat(s.failure()).isNull();
    assertThat(s.operator().name()).isEqualTo("alice");
    assertThat(s.operator().roles()).containsExactly(Role.OPERATOR);
  }

  @Test
  void signIn_wrongCode_wrongPassword_wrongStep_refused() {
    String good = code(0);
    String wrong = good.equals("000000") ? "000001" : "000000";
    assertThat(failure(PASSWORD, wrong)).isEqualTo(Operators.SignInFailure.WRONG_CREDENTIALS);
    assertThat(failure("not the password", good))
        .isEqualTo(Operators.SignInFailure.WRONG_CREDENTIALS);
    assertThat(failure(PASSWORD, code(-2))).isEqualTo(Operators.SignInFailure.WRONG_CREDENTIALS);
    assertThat(failure(PASSWORD, code(3))).isEqualTo(Operators.SignInFailure.WRONG_CREDENTIALS);
    assertThat(operators.signIn("nobody", PASSWORD, good).failure())
        .isEqualTo(Operators.SignInFailure.WRONG_CREDENTIALS);
  }

  @Test
  void signIn_replayedCode_refused_evenAfterALaterOne() {
    String c = code(0);
    assertThat(failure(PASSWORD, c)).isNull();
    assertThat(failure(PASSWORD, c)).isEqualTo(Operators.SignInFailure.REPLAYED_CODE);
    f.advance(Duration.ofSeconds(30));
    assertThat(failure(PASSWORD, code(0))).isNull();
    // The previous step's code is within the drift window but older than the one used.
    assertThat(failure(PASSWORD, code(-1))).isEqualTo(Operators.SignInFailure.REPLAYED_CODE);
  }

  @Test
  void signIn_lockedOutAfterFiveFailures_persisted_evenForTheRightCode_untilItEnds() {
    for (int i = 0; i < Operators.MAX_FAILURES - 1; i++) {
      assertThat(failure("wrong password!", code(0)))
          .isEqualTo(Operators.SignInFailure.WRONG_CREDENTIALS);
    }
    assertThat(failure("wrong password!", code(0))).isEqualTo(Operators.SignInFailure.LOCKED_OUT);
    // Persisted: another instance over the same database sees it.
    Operators other =
        new Operators(
            f.metadata.governance(),
            f.rootKey,
            f.clock,
            new PasswordHashes(1000),
            Operators.DEFAULT_INCOMPATIBLE);
    assertThat(other.get("alice").lockedUntil()).isNotNull();
    assertThat(other.signIn("alice", PASSWORD, code(0)).failure())
        .isEqualTo(Operators.SignInFailure.LOCKED_OUT);
    f.advance(Operators.LOCKOUT);
    assertThat(other.signIn("alice", PASSWORD, code(0)).failure()).isNull();
    assertThat(other.get("alice").failures()).isZero();
  }

  @Test
  void roles_incompatiblePair_refused_atCreationAndGrant() {
    assertThatThrownBy(
            () ->
                operators.create(
                    "bob", Set.of(Role.OPERATOR, Role.SECURITY_OFFICER), PASSWORD, "alice"))
        .satisfies(
            t ->
                assertThat(((GovernanceException) t).reason())
                    .isEqualTo(GovernanceException.Reason.DUTIES_CONFLICT));
    assertThatThrownBy(() -> operators.setRoles("alice", Set.of(Role.OPERATOR, Role.AUDITOR)))
        .isInstanceOf(GovernanceException.class);
    assertThat(operators.get("alice").roles()).containsExactly(Role.OPERATOR);
    assertThat(operators.setRoles("alice", Set.of(Role.SECURITY_OFFICER, Role.AUDITOR)).roles())
        .containsExactlyInAnyOrder(Role.SECURITY_OFFICER, Role.AUDITOR);
  }

  @Test
  void create_shortPassword_refused_andPasswordNeverStoredInClear() {
    assertThatThrownBy(() -> operators.create("bob", Set.of(Role.AUDITOR), "short", "alice"))
        .satisfies(
            t ->
                assertThat(((GovernanceException) t).reason())
                    .isEqualTo(GovernanceException.Reason.WEAK_PASSWORD));
    assertThat(operators.get("alice").passwordHash())
        .startsWith("pbkdf2-sha256$1000$")
        .doesNotContain(PASSWORD);
  }

  @Test
  void proposal_notByItsProposer_notAfterItExpires_onlyOnce() {
    Proposals proposals = new Proposals(f.metadata.governance(), f.clock);
    ProposalRecord p = proposals.propose("DELETE", "/admin/v1/tenants/t", "", "alice");
    assertThatThrownBy(() -> proposals.approve(p.id(), "alice"))
        .hasMessageContaining("its own proposal");
    ProposalRecord approved = proposals.approve(p.id(), "bob");
    assertThat(approved.approvedBy()).isEqualTo("bob");
    assertThatThrownBy(() -> proposals.approve(p.id(), "carol"))
        .hasMessageContaining("approved already");
    ProposalRecord late = proposals.propose("DELETE", "/admin/v1/nodes/n2", "", "alice");
    f.advance(Proposals.TTL);
    assertThatThrownBy(() -> proposals.approve(late.id(), "bob")).hasMessageContaining("expired");
    assertThatThrownBy(() -> proposals.approve("pr-nope", "bob"))
        .satisfies(
            t ->
                assertThat(((GovernanceException) t).reason())
                    .isEqualTo(GovernanceException.Reason.NO_SUCH_PROPOSAL));
  }
}
