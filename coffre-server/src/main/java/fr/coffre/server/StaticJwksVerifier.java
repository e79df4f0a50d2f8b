package fr.coffre.server;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import fr.coffre.core.IdentityException;
import fr.coffre.service.VerifiedWebIdentity;
import fr.coffre.service.WebIdentityVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Verifies web identity tokens of one OIDC issuer against a static JWKS file ({@code
 * auth.web-identity}), with nimbus-jose-jwt: an asymmetric signature (RS*, PS*, ES*, EdDSA) by a
 * key of the set, never {@code alg: none} nor an HMAC; {@code iss} exactly the issuer; {@code aud}
 * holding one of the client ids when some are configured; {@code sub} and {@code exp} present;
 * {@code exp} and {@code nbf} judged with 60 s of skew. An expired token is ExpiredToken, anything
 * else InvalidIdentityToken (the reason goes to the log, the client learns only that it is
 * refused).
 */
final class StaticJwksVerifier implements WebIdentityVerifier {
  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.Ed25519);

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  /**
   * @throws IllegalArgumentException when the JWKS file cannot be read or holds no key
   */
  StaticJwksVerifier(String issuer, Path jwksFile, @Nullable List<String> clientIds) {
    JWKSet keys;
    try {
      keys = JWKSet.load(jwksFile.toFile());
    } catch (IOException | ParseException e) {
      throw new IllegalArgumentException(
          "auth.web-identity.jwks-file: " + jwksFile + " is not a readable JWKS: " + e.getMessage(),
          e);
    }
    if (keys.getKeys().isEmpty()) {
      throw new IllegalArgumentException(
          "auth.web-identity.jwks-file: " + jwksFile + " holds no key");
    }
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(ALGORITHMS, new ImmutableJWKSet<>(keys)));
    Set<String> audiences =
        clientIds == null || clientIds.isEmpty() ? null : new HashSet<>(clientIds);
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            audiences,
            new JWTClaimsSet.Builder().issuer(issuer).build(),
            Set.of("sub", "exp"),
            null);
    claims.setMaxClockSkew(60);
    processor.setJWTClaimsSetVerifier(claims);
  }

  @Override
  public VerifiedWebIdentity verify(String token, Instant now) {
    JWTClaimsSet c;
    try {
      c = processor.process(token, null);
    } catch (ExpiredJWTException e) {
      throw new IdentityException(
          IdentityException.Reason.EXPIRED_TOKEN, "Token expired: current date/time is after exp");
    } catch (ParseException | BadJOSEException | com.nimbusds.jose.JOSEException e) {
      throw new IdentityException(
          IdentityException.Reason.INVALID_IDENTITY_TOKEN,
          "The web identity token was refused: " + e.getMessage());
    }
    Map<String, List<String>> claims = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : c.getClaims().entrySet()) {
      Object v = e.getValue();
      if (v instanceof String || v instanceof Number || v instanceof Boolean) {
        claims.put(e.getKey(), List.of(v.toString()));
      } else if (v instanceof List<?> list) {
        List<String> values = new ArrayList<>();
        for (Object o : list) {
          if (o instanceof String || o instanceof Number || o instanceof Boolean) {
            values.add(o.toString());
          }
        }
        claims.put(e.getKey(), values);
      }
    }
    return new VerifiedWebIdentity(
        c.getIssuer(),
        c.getSubject(),
        c.getAudience() == null ? List.of() : c.getAudience(),
        c.getExpirationTime().toInstant(),
        claims);
  }
}
