package fr.coffre.service;

import fr.coffre.core.GovernanceException;
import fr.coffre.core.GovernanceException.Reason;
import fr.coffre.core.OperatorRecord;
import fr.coffre.core.OperatorRecord.Role;
import fr.coffre.core.SealedException;
import fr.coffre.crypto.RootKey;
import fr.coffre.metadata.GovernanceStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Named operators of the admin API: each with roles, a password (PBKDF2, {@link PasswordHashes})
 * and a TOTP second factor ({@link Totp}, secret sealed by the root key). A sign-in needs both; a
 * code is good once (the step that matched is kept, so a replay fails), failures are counted in the
 * database and {@value #MAX_FAILURES} in a row lock the operator out for {@link #LOCKOUT}, on every
 * node and across restarts. Sessions ({@link Sessions}) end after an idle time.
 *
 * <p>Separation of duties: some role pairs are declared incompatible (by default operator with
 * security officer, and operator with auditor) and a grant that would combine them is refused.
 *
 * <p>Bootstrap: while there is no operator, the admin token is the only operator credential and
 * creates the first one; from then on the token is refused for everything but the few calls the
 * admin edge names (docs/identities.md).
 */
public final class Operators {
  public static final int MAX_FAILURES = 5;
  public static final Duration LOCKOUT = Duration.ofMinutes(15);
  public static final int MIN_PASSWORD = 12;

  /** The role pairs refused by default: who runs the service neither approves nor audits it. */
  public static final Set<Set<Role>> DEFAULT_INCOMPATIBLE =
      Set.of(Set.of(Role.OPERATOR, Role.SECURITY_OFFICER), Set.of(Role.OPERATOR, Role.AUDITOR));

  /** A new operator: its TOTP secret, shown this once, for the operator's authenticator app. */
  public record NewOperator(OperatorRecord operator, String totpSecret, String otpauthUri) {}

  /** Why a sign-in failed, as the edge answers it (all but LOCKED_OUT look the same outside). */
  public enum SignInFailure {
    WRONG_CREDENTIALS,
    REPLAYED_CODE,
    LOCKED_OUT
  }

  /** A sign-in's outcome: the operator, or why not. */
  public record SignIn(@Nullable OperatorRecord operator, @Nullable SignInFailure failure) {}

  private final GovernanceStore store;
  private final RootKey rootKey;
  private final Clock clock;
  private final PasswordHashes hashes;
  private final Set<Set<Role>> incompatible;
  private final SecureRandom random = new SecureRandom();

  /** A hash of nothing, checked when the name is unknown (same cost as a real one); lazy. */
  private volatile @Nullable String dummyHash;

  public Operators(
      GovernanceStore store,
      RootKey rootKey,
      Clock clock,
      PasswordHashes hashes,
      Set<Set<Role>> incompatible) {
    this.store = store;
    this.rootKey = rootKey;
    this.clock = clock;
    this.hashes = hashes;
    this.incompatible = Set.copyOf(incompatible);
  }

  /** Whether any named operator exists (then the admin token no longer acts as one). */
  public boolean any() {
    return !store.operators().isEmpty();
  }

  public List<OperatorRecord> list() {
    return store.operators();
  }

  public OperatorRecord get(String name) {
    return store
        .operator(name)
        .orElseThrow(
            () -> new GovernanceException(Reason.NO_SUCH_OPERATOR, "no operator named " + name));
  }

  /** Refuses a set of roles that combines an incompatible pair (DUTIES_CONFLICT). */
  public void checkDuties(Set<Role> roles) {
    for (Set<Role> pair : incompatible) {
      if (roles.containsAll(pair)) {
        throw new GovernanceException(
            Reason.DUTIES_CONFLICT,
            "roles "
                + pair.stream().map(Role::wire).sorted().toList()
                + " are declared incompatible (separation of duties); give them to two people");
      }
    }
  }

  public NewOperator create(String name, Set<Role> roles, String password, String createdBy) {
    OperatorRecord.validName(name);
    checkDuties(roles);
    if (password == null || password.length() < MIN_PASSWORD) {
      throw new GovernanceException(
          Reason.WEAK_PASSWORD,
          "an operator's password has at least " + MIN_PASSWORD + " characters");
    }
    byte[] secret = new byte[20];
    random.nextBytes(secret);
    byte[] sealed;
    try {
      sealed = rootKey.wrap(secret, context(name));
    } catch (GeneralSecurityException e) {
      throw new SealedException();
    }
    OperatorRecord o =
        new OperatorRecord(
            name,
            roles,
            hashes.hash(password.toCharArray()),
            sealed,
            0,
            0,
            null,
            clock.instant(),
            createdBy);
    if (!store.createOperator(o)) {
      throw new GovernanceException(Reason.OPERATOR_EXISTS, "operator " + name + " exists");
    }
    String b32 = Totp.base32(secret);
    return new NewOperator(
        o,
        b32,
        "otpauth://totp/Coffre:" + name + "?secret=" + b32 + "&issuer=Coffre&digits=6&period=30");
  }

  /** Replaces an operator's roles, within the separation of duties. */
  public OperatorRecord setRoles(String name, Set<Role> roles) {
    checkDuties(roles);
    if (roles.isEmpty() || !store.setOperatorRoles(name, EnumSet.copyOf(roles))) {
      throw new GovernanceException(Reason.NO_SUCH_OPERATOR, "no operator named " + name);
    }
    return get(name);
  }

  public void delete(String name) {
    if (!store.deleteOperator(name)) {
      throw new GovernanceException(Reason.NO_SUCH_OPERATOR, "no operator named " + name);
    }
  }

  /**
   * Checks a password and a TOTP code. A locked-out operator is refused before anything is checked;
   * a wrong password, a wrong code or a replayed one counts as a failure.
   */
  public SignIn signIn(String name, String password, String code) {
    Instant now = clock.instant();
    Optional<OperatorRecord> found;
    try {
      found = store.operator(OperatorRecord.validName(name));
    } catch (RuntimeException e) {
      found = Optional.empty();
    }
    if (found.isEmpty()) {
      // Same work as for a real operator, so timing does not tell names apart.
      PasswordHashes.verify(password == null ? new char[0] : password.toCharArray(), dummyHash());
      return new SignIn(null, SignInFailure.WRONG_CREDENTIALS);
    }
    OperatorRecord o = found.get();
    if (o.lockedUntil() != null && now.isBefore(o.lockedUntil())) {
      return new SignIn(null, SignInFailure.LOCKED_OUT);
    }
    boolean passwordOk =
        password != null && PasswordHashes.verify(password.toCharArray(), o.passwordHash());
    long step = passwordOk ? Totp.match(totpSecret(o), code, now) : -1;
    if (step >= 0 && store.useTotpStep(o.name(), step)) {
      return new SignIn(get(o.name()), null);
    }
    int failures = o.failures() + 1;
    Instant lockedUntil = failures >= MAX_FAILURES ? now.plus(LOCKOUT) : null;
    store.setOperatorFailures(o.name(), failures >= MAX_FAILURES ? 0 : failures, lockedUntil);
    if (lockedUntil != null) {
      return new SignIn(null, SignInFailure.LOCKED_OUT);
    }
    return new SignIn(
        null, step >= 0 ? SignInFailure.REPLAYED_CODE : SignInFailure.WRONG_CREDENTIALS);
  }

  private String dummyHash() {
    String h = dummyHash;
    if (h == null) {
      h = hashes.hash(new char[] {'-'});
      dummyHash = h;
    }
    return h;
  }

  private byte[] totpSecret(OperatorRecord o) {
    try {
      return rootKey.unwrap(o.sealedTotpSecret(), context(o.name()));
    } catch (GeneralSecurityException e) {
      throw new SealedException();
    }
  }

  /** The associated data an operator's TOTP secret is sealed under the root key with. */
  public static byte[] totpContext(String name) {
    return context(name);
  }

  private static byte[] context(String name) {
    return ("coffre operator totp v1|" + name).getBytes(StandardCharsets.UTF_8);
  }
}
