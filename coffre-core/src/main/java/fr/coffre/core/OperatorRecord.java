package fr.coffre.core;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A named operator of the admin API: roles, a password hash, a sealed TOTP secret, and the state
 * that survives restarts (the last TOTP time step used, failed sign-ins, a lock-out).
 *
 * @param passwordHash a self-describing hash ({@code pbkdf2-sha256$iterations$salt$hash})
 * @param sealedTotpSecret the RFC 6238 secret, sealed by the root key
 * @param lastTotpStep the newest time step a code was accepted for (a code is good once)
 * @param failures failed sign-ins since the last success
 * @param lockedUntil sign-ins refused until then, or null
 * @param createdBy who created it (the bootstrap token, or another operator)
 */
public record OperatorRecord(
    String name,
    Set<Role> roles,
    String passwordHash,
    byte[] sealedTotpSecret,
    long lastTotpStep,
    int failures,
    @Nullable Instant lockedUntil,
    Instant created,
    String createdBy) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{1,62}");

  /** What an operator may do (docs/identities.md). */
  public enum Role {
    /** Runs the service: tenants, quotas, keys, nodes, placement. */
    OPERATOR,
    /** Manages operators and approves what four eyes must see. */
    SECURITY_OFFICER,
    /** Reads everything, changes nothing. */
    AUDITOR;

    public String wire() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Role parse(@Nullable String wire) {
      for (Role r : values()) {
        if (r.wire().equals(wire)) {
          return r;
        }
      }
      throw new InvalidArgumentException(
          "role must be one of operator, security-officer, auditor, not " + wire);
    }
  }

  public OperatorRecord {
    validName(name);
    if (roles == null || roles.isEmpty()) {
      throw new InvalidArgumentException("an operator needs at least one role");
    }
    roles = Set.copyOf(EnumSet.copyOf(roles));
    Objects.requireNonNull(passwordHash, "passwordHash");
    Objects.requireNonNull(sealedTotpSecret, "sealedTotpSecret");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(createdBy, "createdBy");
  }

  /** Checks an operator name (lower-case letters, digits and {@code ._-}, 2 to 63). */
  public static String validName(@Nullable String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidArgumentException(
          "operator name must be 2 to 63 lower-case letters, digits or ._- starting with a letter: "
              + name);
    }
    return name;
  }

  /** The roles as stored: wire names in a fixed order, comma-separated. */
  public String rolesText() {
    return EnumSet.copyOf(roles).stream().map(Role::wire).collect(Collectors.joining(","));
  }

  public static Set<Role> parseRoles(String text) {
    EnumSet<Role> out = EnumSet.noneOf(Role.class);
    for (String s : text.split(",")) {
      if (!s.isBlank()) {
        out.add(Role.parse(s.strip()));
      }
    }
    return out;
  }

  public OperatorRecord withFailures(int failures, @Nullable Instant lockedUntil) {
    return new OperatorRecord(
        name,
        roles,
        passwordHash,
        sealedTotpSecret,
        lastTotpStep,
        failures,
        lockedUntil,
        created,
        createdBy);
  }
}
