package fr.coffre.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a verified web identity token says.
 *
 * @param issuer the {@code iss} claim, as the token has it
 * @param subject the {@code sub} claim
 * @param audience the {@code aud} claim's values
 * @param expiry the {@code exp} claim
 * @param claims every top-level claim with a string, number, boolean or string-list value, by name
 */
public record VerifiedWebIdentity(
    String issuer,
    String subject,
    List<String> audience,
    Instant expiry,
    Map<String, List<String>> claims) {
  public VerifiedWebIdentity {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    audience = List.copyOf(audience);
    Objects.requireNonNull(expiry, "expiry");
    claims = Map.copyOf(claims);
  }
}
