package fr.coffre.service;

import java.time.Instant;

/**
 * Checks a web identity token (an OIDC ID token, a signed JWT) for STS {@code
 * AssumeRoleWithWebIdentity}: signature against the issuer's keys (never {@code alg: none}),
 * issuer, audience, expiry. Implementations: a static JWKS ({@code sts.webIdentity} in the
 * configuration) or an OIDC discovery client.
 */
@FunctionalInterface
public interface WebIdentityVerifier {

  /**
   * The token's verified identity.
   *
   * @throws fr.coffre.core.IdentityException INVALID_IDENTITY_TOKEN for a token that does not
   *     verify (signature, algorithm, issuer, audience, malformed), EXPIRED_TOKEN for one past its
   *     {@code exp}
   */
  VerifiedWebIdentity verify(String token, Instant now);
}
