package fr.coffre.server;

import com.nimbusds.jwt.SignedJWT;
import fr.coffre.core.IdentityException;
import fr.coffre.service.VerifiedWebIdentity;
import fr.coffre.service.WebIdentityVerifier;
import fr.coffre.service.oidc.OidcException;
import fr.coffre.service.oidc.OidcVerifier;
import fr.coffre.service.oidc.VerifiedClaims;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * STS web identity tokens checked against the issuer's own published keys: OIDC discovery and its
 * JWKS, fetched again when a token names an unknown key (the provider rotated), through the same
 * {@link OidcVerifier} as the console's sign-in. This is {@code auth.web-identity} without a {@code
 * jwks-file}; with one, {@link StaticJwksVerifier} reads the keys from the file instead.
 *
 * <p>A token is accepted for one of {@code clientIds}: its {@code aud} holds it or, as Keycloak's
 * access tokens carry, its {@code azp} is it. Expiry is told apart from every other refusal ({@code
 * ExpiredTokenException} against {@code InvalidIdentityToken}), as AWS does.
 */
final class DiscoveredWebIdentityVerifier implements WebIdentityVerifier {
  private final OidcVerifier verifier;
  private final List<String> clientIds;

  DiscoveredWebIdentityVerifier(OidcVerifier verifier, List<String> clientIds) {
    if (clientIds.isEmpty()) {
      throw new IllegalArgumentException(
          "auth.web-identity.client-ids: name the client ids tokens must be issued for when the"
              + " keys come from the issuer (no jwks-file)");
    }
    this.verifier = verifier;
    this.clientIds = List.copyOf(clientIds);
  }

  @Override
  public VerifiedWebIdentity verify(String token, Instant now) {
    VerifiedClaims c = null;
    OidcException last = null;
    for (String clientId : clientIds) {
      try {
        c = verifier.verifyAccessTokenOrIdToken(token, clientId);
        break;
      } catch (OidcException e) {
        if (e.reason() != OidcException.Reason.AUDIENCE) {
          throw refused(e, token, now);
        }
        last = e;
      }
    }
    if (c == null) {
      throw refused(last, token, now);
    }
    Instant expiry = c.expiresAt();
    if (expiry == null) {
      throw new IdentityException(
          IdentityException.Reason.INVALID_IDENTITY_TOKEN,
          "The web identity token was refused: it has no expiry (exp)");
    }
    Map<String, List<String>> claims = new LinkedHashMap<>();
    for (String name : c.claims().keySet()) {
      claims.put(name, c.strings(name));
    }
    return new VerifiedWebIdentity(c.issuer(), c.subject(), c.strings("aud"), expiry, claims);
  }

  /**
   * The refusal of a token: expired when the verifier refused its times and its (verified, since
   * times are checked after the signature, issuer and audience) {@code exp} is past.
   */
  private static IdentityException refused(OidcException e, String token, Instant now) {
    if (e.reason() == OidcException.Reason.TIME && expired(token, now)) {
      return new IdentityException(
          IdentityException.Reason.EXPIRED_TOKEN, "Token expired: current date/time is after exp");
    }
    return new IdentityException(
        IdentityException.Reason.INVALID_IDENTITY_TOKEN,
        "The web identity token was refused: " + e.getMessage());
  }

  private static boolean expired(String token, Instant now) {
    try {
      Date exp = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime();
      return exp != null && exp.toInstant().isBefore(now);
    } catch (ParseException e) {
      return false;
    }
  }
}
