package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.GovernanceException;
import fr.coffre.core.Principal;
import fr.coffre.core.Quota;
import fr.coffre.core.SupportWindow;
import fr.coffre.core.SupportWindow.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantConsentTest {
  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;
  private TenantConsent consent;

  @BeforeEach
  void open() {
    f = ServiceFixture.open(dir);
    consent = new TenantConsent(f.metadata.governance(), f.identities, f.clock);
    f.identities.createTenant("mairie", Quota.NONE);
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private static GovernanceException.Reason reason(Throwable t) {
    return ((GovernanceException) t).reason();
  }

  private Principal enrolAlice() {
    TenantConsent.Enrolment e = consent.issueEnrolment("mairie", null);
    IdentityService.NewAccessKey k = consent.redeem("mairie", e.token(), "alice");
    return f.identities.principal(k.accessKeyId()).orElseThrow();
  }

  @Test
  void tenantWithoutEnrolment_operatorKeepsTheOldRegime() {
    assertThat(consent.guarded("mairie")).isFalse();
    assertThat(consent.requireOperatorConsent("mairie", Scope.ACCESS_KEYS)).isEmpty();
  }

  @Test
  void enrolment_redeemedOnce_givesTheAdminAKeyAndFullRightsInItsTenant() {
    TenantConsent.Enrolment e = consent.issueEnrolment("mairie", Duration.ofHours(1));
    assertThat(consent.guarded("mairie")).isTrue();
    IdentityService.NewAccessKey k = consent.redeem("mairie", e.token(), "alice");
    Principal alice = f.identities.principal(k.accessKeyId()).orElseThrow();
    assertThat(alice.tenant()).isEqualTo("mairie");
    assertThat(f.identities.secretKey(k.accessKeyId())).contains(k.secretAccessKey());
    assertThat(f.identities.userPolicies("mairie", "alice")).containsKey("TenantAdmin");
    assertThat(consent.isTenantAdmin(alice)).isTrue();
    // One time only, and no re-issue once redeemed.
    assertThatThrownBy(() -> consent.redeem("mairie", e.token(), "mallory"))
        .satisfies(
            t -> assertThat(reason(t)).isEqualTo(GovernanceException.Reason.ENROLMENT_REFUSED));
    assertThatThrownBy(() -> consent.issueEnrolment("mairie", null))
        .satisfies(
            t -> assertThat(reason(t)).isEqualTo(GovernanceException.Reason.ALREADY_ENROLLED));
  }

  @Test
  void enrolment_ofATenantWithUsers_takenNameRefused_beforeTheTokenIsUsedUp() {
    f.identities.createUser("mairie", "alice");
    TenantConsent.Enrolment e = consent.issueEnrolment("mairie", null);
    assertThatThrownBy(() -> consent.redeem("mairie", e.token(), "alice"))
        .isInstanceOf(fr.coffre.core.IdentityException.class);
    assertThat(consent.redeem("mairie", e.token(), "admin").user()).isEqualTo("admin");
  }

  @Test
  void enrolment_expiredOrWrongToken_refused() {
    TenantConsent.Enrolment e = consent.issueEnrolment("mairie", Duration.ofHours(1));
    assertThatThrownBy(() -> consent.redeem("mairie", "not-the-token", "alice"))
        .satisfies(
            t -> assertThat(reason(t)).isEqualTo(GovernanceException.Reason.ENROLMENT_REFUSED));
    f.advance(Duration.ofHours(1));
    assertThatThrownBy(() -> consent.redeem("mairie", e.token(), "alice"))
        .satisfies(
            t -> assertThat(reason(t)).isEqualTo(GovernanceException.Reason.ENROLMENT_REFUSED));
    assertThat(f.identities.users("mairie")).isEmpty();
  }

  @Test
  void enrolledTenant_operatorRefusedWithoutWindow_allowedInScopeAndTime_refusedAfter() {
    Principal alice = enrolAlice();
    assertThatThrownBy(() -> consent.requireOperatorConsent("mairie", Scope.ACCESS_KEYS))
        .satisfies(
            t ->
                assertThat(reason(t))
                    .isEqualTo(GovernanceException.Reason.TENANT_CONSENT_REQUIRED));
    SupportWindow w = consent.open(alice, Set.of(Scope.ACCESS_KEYS), Duration.ofMinutes(30));
    assertThat(w.openedBy()).isEqualTo("mairie/alice");
    assertThat(consent.requireOperatorConsent("mairie", Scope.ACCESS_KEYS)).contains(w);
    // Out of scope.
    assertThatThrownBy(() -> consent.requireOperatorConsent("mairie", Scope.POLICIES))
        .satisfies(
            t ->
                assertThat(reason(t))
                    .isEqualTo(GovernanceException.Reason.TENANT_CONSENT_REQUIRED));
    // Out of time.
    f.advance(Duration.ofMinutes(30));
    assertThatThrownBy(() -> consent.requireOperatorConsent("mairie", Scope.ACCESS_KEYS))
        .isInstanceOf(GovernanceException.class);
  }

  @Test
  void window_revoked_closesAtOnce_andOnlyOnce() {
    Principal alice = enrolAlice();
    SupportWindow w = consent.open(alice, Set.of(Scope.POLICIES), Duration.ofHours(2));
    SupportWindow revoked = consent.revoke(alice, w.id());
    assertThat(revoked.revokedBy()).isEqualTo("mairie/alice");
    assertThatThrownBy(() -> consent.requireOperatorConsent("mairie", Scope.POLICIES))
        .isInstanceOf(GovernanceException.class);
    assertThatThrownBy(() -> consent.revoke(alice, w.id()))
        .satisfies(t -> assertThat(reason(t)).isEqualTo(GovernanceException.Reason.NO_SUCH_WINDOW));
  }

  @Test
  void window_openedByAnOrdinaryUserOrAnotherTenant_refused() {
    Principal alice = enrolAlice();
    f.identities.createUser("mairie", "bob");
    Principal bob =
        f.identities
            .principal(f.identities.createAccessKey("mairie", "bob").accessKeyId())
            .orElseThrow();
    assertThatThrownBy(() -> consent.open(bob, Set.of(Scope.USERS), Duration.ofHours(1)))
        .satisfies(
            t -> assertThat(reason(t)).isEqualTo(GovernanceException.Reason.NOT_TENANT_ADMIN));
    SupportWindow w = consent.open(alice, Set.of(Scope.USERS), Duration.ofHours(1));
    assertThatThrownBy(() -> consent.revoke(bob, w.id()))
        .satisfies(
            t -> assertThat(reason(t)).isEqualTo(GovernanceException.Reason.NOT_TENANT_ADMIN));
    // The default tenant's root may only touch its own tenant's windows.
    assertThatThrownBy(() -> consent.revoke(f.root(), w.id()))
        .satisfies(t -> assertThat(reason(t)).isEqualTo(GovernanceException.Reason.NO_SUCH_WINDOW));
    assertThatThrownBy(() -> consent.open(alice, Set.of(Scope.USERS), Duration.ofDays(8)))
        .isInstanceOf(fr.coffre.core.InvalidArgumentException.class);
  }
}
