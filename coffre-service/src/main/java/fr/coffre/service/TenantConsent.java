package fr.coffre.service;

import fr.coffre.core.GovernanceException;
import fr.coffre.core.GovernanceException.Reason;
import fr.coffre.core.IdentityException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.Principal;
import fr.coffre.core.SupportWindow;
import fr.coffre.core.TenantEnrolment;
import fr.coffre.core.UserRecord;
import fr.coffre.metadata.GovernanceStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The tenant's consent to operator help. The operator creates tenants, not their credentials: a
 * tenant created with an enrolment gets a one-time, expiring token that its first admin redeems for
 * their own user and access key. From then on (from the enrolment's creation, in fact) minting a
 * credential, creating or re-enabling a user and attaching a policy inside the tenant are refused
 * to the operator ({@link Reason#TENANT_CONSENT_REQUIRED}) unless a tenant admin opened a support
 * window: a scope (users, access keys, policies) and an end, revocable, at most {@link
 * #MAX_WINDOW}.
 *
 * <p>Tenants without an enrolment (every tenant created before this rule, and those the operator
 * still creates without one) keep the old regime: the operator manages their identities. Issuing an
 * enrolment for such a tenant moves it under the rule, for good.
 *
 * <p>Who is a tenant admin: the user who redeemed the enrolment, and the tenant's root principal.
 * The edges record each call in the tenant's audit chain (console calls and admin calls alike).
 */
public final class TenantConsent {
  /** How long an enrolment token stays good when the operator names no other duration. */
  public static final Duration ENROLMENT_TTL = Duration.ofDays(3);

  /** The longest enrolment token and support window. */
  public static final Duration MAX_ENROLMENT = Duration.ofDays(30);

  public static final Duration MAX_WINDOW = Duration.ofDays(7);

  /** The identity policy the first admin receives: everything inside their own tenant. */
  static final String ADMIN_POLICY_NAME = "TenantAdmin";

  static final String ADMIN_POLICY =
      """
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

  /** A new enrolment: the token is shown this once (only its hash is kept). */
  public record Enrolment(String tenant, String token, Instant expires) {}

  private final GovernanceStore store;
  private final IdentityService identities;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public TenantConsent(GovernanceStore store, IdentityService identities, Clock clock) {
    this.store = store;
    this.identities = identities;
    this.clock = clock;
  }

  // ------------------------------------------------------------------ enrolment

  /**
   * Issues (or re-issues, while nobody has redeemed it) the tenant's enrolment token; from now on
   * the tenant is under the consent rule. ALREADY_ENROLLED once its first admin has enrolled.
   */
  public Enrolment issueEnrolment(String tenant, @Nullable Duration ttl) {
    identities.tenant(tenant);
    Duration d = ttl == null ? ENROLMENT_TTL : ttl;
    if (d.isNegative() || d.isZero() || d.compareTo(MAX_ENROLMENT) > 0) {
      throw new InvalidArgumentException(
          "an enrolment lasts more than 0 and at most " + MAX_ENROLMENT.toDays() + " days");
    }
    String token = token();
    Instant now = clock.instant();
    Instant expires = now.plus(d);
    if (!store.putEnrolment(new TenantEnrolment(tenant, hash(token), now, expires, null, null))) {
      throw new GovernanceException(
          Reason.ALREADY_ENROLLED,
          "tenant " + tenant + " has enrolled its first admin already; its admins manage it");
    }
    return new Enrolment(tenant, token, expires);
  }

  /**
   * Redeems an enrolment token: creates {@code admin} in the tenant with full rights inside it and
   * an access key whose secret only the caller sees. ENROLMENT_REFUSED for a wrong, used or expired
   * token (the same answer for each, so a guess learns nothing).
   */
  public IdentityService.NewAccessKey redeem(String tenant, String token, String admin) {
    UserRecord.validName(admin);
    Optional<TenantEnrolment> e;
    try {
      e = store.enrolment(tenant);
    } catch (RuntimeException x) {
      e = Optional.empty();
    }
    Instant now = clock.instant();
    if (e.isPresent()
        && e.get().redeemed() == null
        && identities.users(tenant).stream().anyMatch(u -> u.name().equals(admin))) {
      // Checked before the token is used up: a tenant moved under the rule may have users.
      throw new IdentityException(
          IdentityException.Reason.USER_EXISTS,
          "tenant " + tenant + " already has a user " + admin + "; choose another name");
    }
    if (e.isEmpty() || token == null || !store.redeemEnrolment(tenant, hash(token), admin, now)) {
      throw new GovernanceException(
          Reason.ENROLMENT_REFUSED,
          "this enrolment token is wrong, used or expired; ask the operator for a new one");
    }
    identities.createUser(tenant, admin);
    identities.putUserPolicy(tenant, admin, ADMIN_POLICY_NAME, ADMIN_POLICY);
    return identities.createAccessKey(tenant, admin);
  }

  public Optional<TenantEnrolment> enrolment(String tenant) {
    return store.enrolment(tenant);
  }

  /** Whether the tenant is under the consent rule (it has an enrolment). */
  public boolean guarded(String tenant) {
    return store.enrolment(tenant).isPresent();
  }

  /** Whether {@code p} may open and revoke its tenant's support windows. */
  public boolean isTenantAdmin(Principal p) {
    if (p.tenant() == null) {
      return false;
    }
    if (p.isRoot()) {
      return true;
    }
    return store
        .enrolment(p.tenant())
        .map(e -> p.user() != null && p.user().equals(e.admin()))
        .orElse(false);
  }

  // ------------------------------------------------------------------ support windows

  /** Opens a window in the caller's tenant; NOT_TENANT_ADMIN unless the caller is its admin. */
  public SupportWindow open(Principal admin, Set<SupportWindow.Scope> scope, Duration duration) {
    requireAdmin(admin);
    if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_WINDOW) > 0) {
      throw new InvalidArgumentException(
          "a support window lasts more than 0 and at most " + MAX_WINDOW.toDays() + " days");
    }
    Instant now = clock.instant();
    SupportWindow w =
        new SupportWindow(
            "sw-" + token().substring(0, 16),
            admin.tenant(),
            scope,
            who(admin),
            now,
            now.plus(duration),
            null,
            null);
    store.addSupportWindow(w);
    return w;
  }

  /** Revokes a window of the caller's tenant; NO_SUCH_WINDOW if none is open under that id. */
  public SupportWindow revoke(Principal admin, String id) {
    requireAdmin(admin);
    if (!store.revokeSupportWindow(admin.tenant(), id, who(admin), clock.instant())) {
      throw new GovernanceException(
          Reason.NO_SUCH_WINDOW, "no open support window " + id + " in tenant " + admin.tenant());
    }
    return windows(admin.tenant()).stream()
        .filter(w -> w.id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  /** Whether the window lets the operator act now. */
  public boolean isOpen(SupportWindow w) {
    return w.openAt(clock.instant());
  }

  /** The tenant's windows, newest first, open or not. */
  public List<SupportWindow> windows(String tenant) {
    identities.tenant(tenant);
    return store.supportWindows(tenant);
  }

  /**
   * Checks that the operator may act inside {@code tenant} with {@code scope} now: always for a
   * tenant without an enrolment; otherwise only in an open window of that scope, which is returned
   * (empty: the tenant is not under the rule). TENANT_CONSENT_REQUIRED when refused.
   */
  public Optional<SupportWindow> requireOperatorConsent(String tenant, SupportWindow.Scope scope) {
    if (!guarded(tenant)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    for (SupportWindow w : store.supportWindows(tenant)) {
      if (w.openAt(now) && w.scope().contains(scope)) {
        return Optional.of(w);
      }
    }
    throw new GovernanceException(
        Reason.TENANT_CONSENT_REQUIRED,
        "tenant "
            + tenant
            + " has not opened a support window for "
            + scope.wire()
            + "; its admin opens one in the tenant console (docs/identities.md)");
  }

  private void requireAdmin(Principal p) {
    if (!isTenantAdmin(p)) {
      throw new GovernanceException(
          Reason.NOT_TENANT_ADMIN, "only the tenant's admin opens or revokes support windows");
    }
  }

  private static String who(Principal p) {
    return p.tenant() + "/" + (p.user() == null ? "root" : p.user());
  }

  private String token() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(token.strip().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
