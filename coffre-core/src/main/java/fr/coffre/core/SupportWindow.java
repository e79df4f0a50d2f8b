package fr.coffre.core;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's consent to operator help: for a limited time, the operator may do the listed kinds of
 * identity changes inside the tenant (docs/identities.md, "Operators and tenant consent").
 *
 * @param id a random identifier the tenant revokes it by
 * @param openedBy who in the tenant gave the consent ({@code tenant/user})
 * @param revoked when a tenant admin withdrew it, or null
 * @param revokedBy who withdrew it, or null
 */
public record SupportWindow(
    String id,
    String tenant,
    Set<Scope> scope,
    String openedBy,
    Instant opened,
    Instant expires,
    @Nullable Instant revoked,
    @Nullable String revokedBy) {

  /** What a window lets the operator do inside the tenant. */
  public enum Scope {
    /** Create users, enable them again. */
    USERS,
    /** Mint access keys, activate them again. */
    ACCESS_KEYS,
    /** Attach or replace identity policies (grant data access). */
    POLICIES;

    /** The name in the API and the audit trail ({@code access-keys}). */
    public String wire() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The scope named {@code wire}; InvalidArgumentException naming the choices otherwise. */
    public static Scope parse(@Nullable String wire) {
      for (Scope s : values()) {
        if (s.wire().equals(wire)) {
          return s;
        }
      }
      throw new InvalidArgumentException(
          "scope must be one of users, access-keys, policies, not " + wire);
    }
  }

  public SupportWindow {
    Objects.requireNonNull(id, "id");
    TenantRecord.validName(tenant);
    Objects.requireNonNull(openedBy, "openedBy");
    Objects.requireNonNull(opened, "opened");
    Objects.requireNonNull(expires, "expires");
    if (scope == null || scope.isEmpty()) {
      throw new InvalidArgumentException(
          "a support window needs a scope (users, access-keys, policies)");
    }
    scope = Set.copyOf(EnumSet.copyOf(scope));
  }

  /** Whether it lets the operator act at {@code now}: opened, not expired, not revoked. */
  public boolean openAt(Instant now) {
    return revoked == null && !now.isBefore(opened) && now.isBefore(expires);
  }

  /** The scope as stored: wire names in a fixed order, comma-separated. */
  public String scopeText() {
    return EnumSet.copyOf(scope).stream().map(Scope::wire).collect(Collectors.joining(","));
  }

  /** The scope a {@link #scopeText()} names. */
  public static Set<Scope> parseScope(String text) {
    EnumSet<Scope> out = EnumSet.noneOf(Scope.class);
    for (String s : text.split(",")) {
      if (!s.isBlank()) {
        out.add(Scope.parse(s.strip()));
      }
    }
    return out;
  }
}
