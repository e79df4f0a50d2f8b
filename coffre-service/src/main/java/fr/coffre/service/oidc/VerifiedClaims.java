package fr.coffre.service.oidc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The claims of a token whose signature, issuer, audience and times were checked (or of a userinfo
 * answer bound to such a token).
 *
 * @param issuer the {@code iss} claim, the provider's issuer identifier
 * @param subject the {@code sub} claim, the provider's stable identifier of the person
 * @param expiresAt the {@code exp} claim, or null for a userinfo answer that has none
 * @param claims every claim, as JSON values (strings, numbers, booleans, lists, maps)
 */
public record VerifiedClaims(
    String issuer, String subject, @Nullable Instant expiresAt, Map<String, Object> claims) {
  public VerifiedClaims {
    Map<String, Object> kept = new java.util.LinkedHashMap<>();
    claims.forEach(
        (k, v) -> {
          if (k != null && v != null) {
            kept.put(k, v);
          }
        });
    claims = java.util.Collections.unmodifiableMap(kept);
  }

  /** A claim as text (a number or a boolean as written), or null when absent or structured. */
  public @Nullable String string(String name) {
    Object v = claims.get(name);
    return v instanceof String || v instanceof Number || v instanceof Boolean ? v.toString() : null;
  }

  /** A claim as a list of texts: a list's text items, a single text, or none. */
  public List<String> strings(String name) {
    Object v = claims.get(name);
    if (v instanceof Collection<?> c) {
      List<String> out = new ArrayList<>();
      for (Object o : c) {
        if (o instanceof String || o instanceof Number) {
          out.add(o.toString());
        }
      }
      return List.copyOf(out);
    }
    String one = string(name);
    return one == null ? List.of() : List.of(one);
  }

  /** These claims, with a userinfo answer's claims added (the token's win on a conflict). */
  public VerifiedClaims with(Map<String, Object> more) {
    Map<String, Object> all = new java.util.LinkedHashMap<>(more);
    all.putAll(claims);
    return new VerifiedClaims(issuer, subject, expiresAt, all);
  }
}
