package fr.coffre.service.oidc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Verifies the tokens of one OpenID Connect provider (an issuer): ID tokens after a console
 * sign-in, and ID or access tokens handed to STS ({@code AssumeRoleWithWebIdentity}).
 *
 * <p>Everything cryptographic is nimbus-jose-jwt's; this class decides what to trust. The provider
 * is found by discovery, whose {@code issuer} must be the configured one. Its keys (JWKS) are
 * fetched when first needed and kept; a token signed with a key id they do not hold makes them be
 * fetched again (the provider rotated its keys), but at most once per {@link #refreshInterval}, so
 * a stream of tokens with invented key ids cannot make this server hammer the provider. Only
 * asymmetric algorithms are accepted ({@link #DEFAULT_ALGORITHMS}): {@code alg: none} and HMAC
 * (which would turn the provider's public key into a shared secret) are refused before any key is
 * looked at. Times are checked against the injected clock with a small skew.
 */
public final class OidcVerifier {
  /** Asymmetric signatures only: RSA PKCS#1 v1.5, RSA-PSS and ECDSA. */
  public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512);

  /** How far the provider's clock may be from ours. */
  public static final Duration DEFAULT_SKEW = Duration.ofSeconds(60);

  /** The keys are fetched again at most this often when a token names an unknown key. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(30);

  /** The keys are fetched again after this long even when every token finds its key. */
  public static final Duration KEYS_MAX_AGE = Duration.ofHours(6);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String issuer;
  private final OidcHttp http;
  private final Clock clock;
  private final Set<JWSAlgorithm> algorithms;
  private final Duration skew;
  private final Duration refreshInterval;

  private @Nullable ProviderMetadata metadata;
  private @Nullable JWKSet keys;
  private @Nullable Instant keysFetched;

  public OidcVerifier(String issuer, OidcHttp http, Clock clock) {
    this(issuer, http, clock, DEFAULT_ALGORITHMS, DEFAULT_SKEW, DEFAULT_REFRESH_INTERVAL);
  }

  /**
   * @param algorithms the signature algorithms accepted; none may be symmetric
   * @param skew how far apart the provider's clock and ours may be
   * @param refreshInterval the least time between two fetches of the keys
   */
  public OidcVerifier(
      String issuer,
      OidcHttp http,
      Clock clock,
      Set<JWSAlgorithm> algorithms,
      Duration skew,
      Duration refreshInterval) {
    if (issuer == null || !(issuer.startsWith("https://") || issuer.startsWith("http://"))) {
      throw new IllegalArgumentException("issuer must be an http(s) URL: " + issuer);
    }
    for (JWSAlgorithm a : algorithms) {
      if (!DEFAULT_ALGORITHMS.contains(a)) {
        throw new IllegalArgumentException("algorithm " + a + " is not an asymmetric signature");
      }
    }
    if (algorithms.isEmpty() || skew.isNegative() || refreshInterval.isNegative()) {
      throw new IllegalArgumentException("algorithms must not be empty, durations not negative");
    }
    this.issuer = issuer;
    this.http = http;
    this.clock = clock;
    this.algorithms = Set.copyOf(algorithms);
    this.skew = skew;
    this.refreshInterval = refreshInterval;
  }

  public String issuer() {
    return issuer;
  }

  /** The provider's endpoints, discovered on first use (and again after a failed discovery). */
  public synchronized ProviderMetadata metadata() {
    if (metadata == null) {
      metadata = ProviderMetadata.discover(http, issuer);
    }
    return metadata;
  }

  /**
   * Verifies an ID token issued to {@code audience} (the client id).
   *
   * @param nonce the nonce the sign-in sent, which the token must carry; null when none was sent
   * @throws OidcException naming what was wrong
   */
  public VerifiedClaims verifyIdToken(String jwt, String audience, @Nullable String nonce) {
    SignedJWT token = verifySignature(jwt);
    JWTClaimsSet c = claims(token);
    checkIssuer(c);
    List<String> aud = c.getAudience();
    if (!aud.contains(audience)) {
      throw new OidcException(
          OidcException.Reason.AUDIENCE, "the token was issued for another client: " + aud);
    }
    String azp = stringClaim(c, "azp");
    if (aud.size() > 1 && azp != null && !azp.equals(audience)) {
      throw new OidcException(
          OidcException.Reason.AUDIENCE, "the token's authorized party is another client");
    }
    checkTimes(c, true);
    if (c.getIssueTime() == null) {
      throw new OidcException(OidcException.Reason.TIME, "the ID token has no issue time (iat)");
    }
    if (nonce != null && !nonce.equals(stringClaim(c, "nonce"))) {
      throw new OidcException(
          OidcException.Reason.NONCE, "the ID token does not carry this sign-in's nonce");
    }
    return verified(c);
  }

  /**
   * Verifies a JWT access token or ID token presented for {@code audience}: accepted when its
   * {@code aud} contains the audience or, as access tokens of some providers (Keycloak) carry, its
   * authorized party ({@code azp}) is the audience. No nonce is checked.
   */
  public VerifiedClaims verifyAccessTokenOrIdToken(String jwt, String audience) {
    SignedJWT token = verifySignature(jwt);
    JWTClaimsSet c = claims(token);
    checkIssuer(c);
    if (!c.getAudience().contains(audience) && !audience.equals(stringClaim(c, "azp"))) {
      throw new OidcException(
          OidcException.Reason.AUDIENCE,
          "the token was issued for another client: " + c.getAudience());
    }
    checkTimes(c, true);
    return verified(c);
  }

  /**
   * The claims the provider's userinfo endpoint gives for an access token: plain JSON, or a signed
   * JWT (as ProConnect answers) verified with the provider's keys, issued by it to {@code
   * clientId}. Either way its {@code sub} must be {@code subject}, the ID token's (OIDC Core 1.0
   * section 5.3.2), so another person's answer cannot be substituted.
   */
  public Map<String, Object> userInfo(String accessToken, String clientId, String subject) {
    ProviderMetadata m = metadata();
    if (m.userinfoEndpoint() == null) {
      throw new OidcException(
          OidcException.Reason.PROVIDER, "the provider " + issuer + " has no userinfo endpoint");
    }
    OidcHttp.Answer a;
    try {
      a = http.get(m.userinfoEndpoint(), accessToken);
    } catch (IOException e) {
      throw new OidcException(
          OidcException.Reason.PROVIDER, "the userinfo endpoint cannot be reached", e);
    }
    if (a.status() != 200) {
      throw new OidcException(
          OidcException.Reason.PROVIDER, "the userinfo endpoint answered HTTP " + a.status());
    }
    Map<String, Object> claims;
    if (a.mediaType().equals("application/jwt")) {
      SignedJWT token = verifySignature(a.body().strip());
      JWTClaimsSet c = claims(token);
      checkIssuer(c);
      if (!c.getAudience().isEmpty() && !c.getAudience().contains(clientId)) {
        throw new OidcException(
            OidcException.Reason.AUDIENCE, "the userinfo answer was issued for another client");
      }
      checkTimes(c, false);
      claims = c.toJSONObject();
    } else {
      try {
        claims = JSON.readValue(a.body(), new TypeReference<Map<String, Object>>() {});
      } catch (IOException e) {
        throw new OidcException(
            OidcException.Reason.PROVIDER, "the userinfo answer is neither JSON nor a JWT", e);
      }
    }
    if (claims == null || !subject.equals(claims.get("sub"))) {
      throw new OidcException(
          OidcException.Reason.CLAIM, "the userinfo answer is about another subject");
    }
    return claims;
  }

  // ------------------------------------------------------------------ signature and keys

  private SignedJWT verifySignature(String jwt) {
    if (jwt == null || jwt.isBlank() || jwt.length() > 64 * 1024) {
      throw new OidcException(OidcException.Reason.MALFORMED, "no token, or a token too long");
    }
    JWT parsed;
    try {
      parsed = JWTParser.parse(jwt.strip());
    } catch (ParseException e) {
      throw new OidcException(OidcException.Reason.MALFORMED, "the token is not a JWT", e);
    }
    if (parsed instanceof PlainJWT) {
      throw new OidcException(
          OidcException.Reason.ALGORITHM, "the token is not signed (alg: none)");
    }
    if (!(parsed instanceof SignedJWT token)) {
      throw new OidcException(
          OidcException.Reason.MALFORMED, "encrypted tokens (JWE) are not accepted");
    }
    JWSHeader header = token.getHeader();
    if (!algorithms.contains(header.getAlgorithm())) {
      throw new OidcException(
          OidcException.Reason.ALGORITHM,
          "the token is signed with " + header.getAlgorithm() + ", which is not accepted");
    }
    List<JWK> candidates = candidates(header, false);
    if (candidates.isEmpty()) {
      candidates = candidates(header, true);
    }
    if (candidates.isEmpty()) {
      throw new OidcException(
          OidcException.Reason.UNKNOWN_KEY,
          "no key of the provider matches the token's key id " + header.getKeyID());
    }
    for (JWK key : candidates) {
      try {
        if (token.verify(verifier(key))) {
          return token;
        }
      } catch (JOSEException e) {
        // A key of the right id but unusable (too short, wrong curve): try the next one.
      }
    }
    throw new OidcException(OidcException.Reason.SIGNATURE, "the token's signature is wrong");
  }

  private static JWSVerifier verifier(JWK key) throws JOSEException {
    if (key instanceof RSAKey rsa) {
      return new RSASSAVerifier(rsa);
    }
    if (key instanceof ECKey ec) {
      return new ECDSAVerifier(ec);
    }
    throw new JOSEException("unsupported key type " + key.getKeyType());
  }

  /**
   * The provider's keys that may have signed a token with this header.
   *
   * @param refresh fetch the keys again first (rate-limited: without a fetch, none)
   */
  private synchronized List<JWK> candidates(JWSHeader header, boolean refresh) {
    Instant now = clock.instant();
    boolean stale =
        keys == null || keysFetched == null || now.isAfter(keysFetched.plus(KEYS_MAX_AGE));
    if (refresh) {
      if (keysFetched != null && now.isBefore(keysFetched.plus(refreshInterval))) {
        return List.of();
      }
      fetchKeys(now);
    } else if (stale) {
      fetchKeys(now);
    }
    JWKSet set = keys;
    if (set == null) {
      return List.of();
    }
    return new JWKSelector(JWKMatcher.forJWSHeader(header))
        .select(set).stream().filter(k -> !k.isPrivate()).toList();
  }

  private void fetchKeys(Instant now) {
    ProviderMetadata m = metadata();
    keysFetched = now; // also on failure: a failing provider is not asked again at once
    OidcHttp.Answer a;
    try {
      a = http.get(m.jwksUri(), null);
    } catch (IOException e) {
      throw new OidcException(
          OidcException.Reason.PROVIDER, "the provider's keys cannot be fetched", e);
    }
    if (a.status() != 200) {
      throw new OidcException(
          OidcException.Reason.PROVIDER, m.jwksUri() + " answered HTTP " + a.status());
    }
    try {
      keys = JWKSet.parse(a.body());
    } catch (ParseException e) {
      throw new OidcException(OidcException.Reason.PROVIDER, m.jwksUri() + " is not a JWKS", e);
    }
  }

  // ------------------------------------------------------------------ claims

  private static JWTClaimsSet claims(SignedJWT token) {
    try {
      return token.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new OidcException(
          OidcException.Reason.MALFORMED, "the token's claims cannot be read", e);
    }
  }

  private void checkIssuer(JWTClaimsSet c) {
    if (!issuer.equals(c.getIssuer())) {
      throw new OidcException(
          OidcException.Reason.ISSUER, "the token was issued by another issuer: " + c.getIssuer());
    }
  }

  private void checkTimes(JWTClaimsSet c, boolean expiryRequired) {
    Instant now = clock.instant();
    Date exp = c.getExpirationTime();
    if (exp == null && expiryRequired) {
      throw new OidcException(OidcException.Reason.TIME, "the token has no expiry (exp)");
    }
    if (exp != null && !now.isBefore(exp.toInstant().plus(skew))) {
      throw new OidcException(OidcException.Reason.TIME, "the token expired at " + exp.toInstant());
    }
    Date nbf = c.getNotBeforeTime();
    if (nbf != null && now.isBefore(nbf.toInstant().minus(skew))) {
      throw new OidcException(
          OidcException.Reason.TIME, "the token is not valid before " + nbf.toInstant());
    }
    Date iat = c.getIssueTime();
    if (iat != null && now.isBefore(iat.toInstant().minus(skew))) {
      throw new OidcException(
          OidcException.Reason.TIME, "the token was issued in the future: " + iat.toInstant());
    }
  }

  private static @Nullable String stringClaim(JWTClaimsSet c, String name) {
    Object v = c.getClaim(name);
    return v instanceof String s ? s : null;
  }

  private static VerifiedClaims verified(JWTClaimsSet c) {
    String sub = c.getSubject();
    if (sub == null || sub.isEmpty()) {
      throw new OidcException(OidcException.Reason.CLAIM, "the token has no subject (sub)");
    }
    Date exp = c.getExpirationTime();
    return new VerifiedClaims(
        c.getIssuer(), sub, exp == null ? null : exp.toInstant(), c.toJSONObject());
  }
}
