package fr.coffre.service.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OIDC token verification against keys generated here and a provider answered in the JVM. */
class OidcVerifierTest {
  private static final String ISSUER = "https://idp.example.test/realms/mairie";
  private static final String CLIENT = "coffre-console";
  private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

  private final MovableClock clock = new MovableClock(T0);
  private final FakeProvider provider = new FakeProvider();
  private RSAKey rsa;
  private OidcVerifier verifier;

  @BeforeEach
  void setUp() throws JOSEException {
    rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
    provider.keys = new JWKSet(List.of(rsa.toPublicJWK()));
    verifier = new OidcVerifier(ISSUER, provider, clock);
  }

  @Test
  void verifyIdToken_validToken_givesItsClaims() throws Exception {
    String jwt = sign(rsa, JWSAlgorithm.RS256, claims().claim("siret", "21750001600019").build());

    VerifiedClaims c = verifier.verifyIdToken(jwt, CLIENT, "n-1");

    assertThat(c.subject()).isEqualTo("agent1-sub");
    assertThat(c.issuer()).isEqualTo(ISSUER);
    assertThat(c.string("siret")).isEqualTo("21750001600019");
    assertThat(c.strings("groups")).containsExactly("coffre-admins", "agents");
    assertThat(c.expiresAt()).isEqualTo(T0.plusSeconds(300));
  }

  @Test
  void verifyIdToken_ecdsaAndPss_accepted() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec1").generate();
    provider.keys = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK()));

    assertThat(verifier.verifyIdToken(sign(ec, JWSAlgorithm.ES256, claims().build()), CLIENT, null))
        .isNotNull();
    assertThat(
            verifier.verifyIdToken(sign(rsa, JWSAlgorithm.PS256, claims().build()), CLIENT, null))
        .isNotNull();
  }

  @Test
  void verifyIdToken_expired_refused() throws Exception {
    String jwt = sign(rsa, JWSAlgorithm.RS256, claims().build());
    clock.now = T0.plusSeconds(300).plus(OidcVerifier.DEFAULT_SKEW);

    assertRefused(() -> verifier.verifyIdToken(jwt, CLIENT, "n-1"), OidcException.Reason.TIME);
  }

  @Test
  void verifyIdToken_withinSkewAfterExpiry_accepted() throws Exception {
    String jwt = sign(rsa, JWSAlgorithm.RS256, claims().build());
    clock.now = T0.plusSeconds(300).plusSeconds(30);

    assertThat(verifier.verifyIdToken(jwt, CLIENT, "n-1").subject()).isEqualTo("agent1-sub");
  }

  @Test
  void verifyIdToken_notYetValidOrIssuedInTheFuture_refused() throws Exception {
    String nbf =
        sign(rsa, JWSAlgorithm.RS256, claims().notBeforeTime(date(T0.plusSeconds(120))).build());
    String iat =
        sign(rsa, JWSAlgorithm.RS256, claims().issueTime(date(T0.plusSeconds(120))).build());

    assertRefused(() -> verifier.verifyIdToken(nbf, CLIENT, null), OidcException.Reason.TIME);
    assertRefused(() -> verifier.verifyIdToken(iat, CLIENT, null), OidcException.Reason.TIME);
  }

  @Test
  void verifyIdToken_wrongAudience_refused() throws Exception {
    String jwt = sign(rsa, JWSAlgorithm.RS256, claims().audience("another-app").build());

    assertRefused(() -> verifier.verifyIdToken(jwt, CLIENT, "n-1"), OidcException.Reason.AUDIENCE);
  }

  @Test
  void verifyIdToken_wrongIssuer_refused() throws Exception {
    String jwt =
        sign(rsa, JWSAlgorithm.RS256, claims().issuer("https://evil.example.test").build());

    assertRefused(() -> verifier.verifyIdToken(jwt, CLIENT, "n-1"), OidcException.Reason.ISSUER);
  }

  @Test
  void verifyIdToken_wrongNonce_refused() throws Exception {
    String jwt = sign(rsa, JWSAlgorithm.RS256, claims().build());

    assertRefused(() -> verifier.verifyIdToken(jwt, CLIENT, "n-2"), OidcException.Reason.NONCE);
  }

  @Test
  void verifyIdToken_tamperedPayload_refused() throws Exception {
    String jwt = sign(rsa, JWSAlgorithm.RS256, claims().build());
    String[] parts = jwt.split("\\.");
    String payload =
        new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
            .replace("agent1-sub", "admin0-sub");
    String tampered =
        parts[0]
            + "."
            + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];

    assertRefused(
        () -> verifier.verifyIdToken(tampered, CLIENT, "n-1"), OidcException.Reason.SIGNATURE);
  }

  @Test
  void verifyIdToken_signedByAnotherKeyWithTheSameId_refused() throws Exception {
    RSAKey impostor = new RSAKeyGenerator(2048).keyID("k1").generate();
    String jwt = sign(impostor, JWSAlgorithm.RS256, claims().build());

    assertRefused(() -> verifier.verifyIdToken(jwt, CLIENT, "n-1"), OidcException.Reason.SIGNATURE);
  }

  @Test
  void verifyIdToken_algNone_refused() {
    String jwt = new PlainJWT(claims().build()).serialize();

    assertRefused(() -> verifier.verifyIdToken(jwt, CLIENT, "n-1"), OidcException.Reason.ALGORITHM);
  }

  @Test
  void verifyIdToken_hmacKeyedWithThePublicKey_refused() throws Exception {
    // The classic confusion: HS256 with the provider's public key as the shared secret.
    byte[] publicKey = rsa.toRSAPublicKey().getEncoded();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
    jwt.sign(new MACSigner(java.util.Arrays.copyOf(publicKey, 256)));

    assertRefused(
        () -> verifier.verifyIdToken(jwt.serialize(), CLIENT, "n-1"),
        OidcException.Reason.ALGORITHM);
  }

  @Test
  void verifyIdToken_notAJwt_refused() {
    assertRefused(
        () -> verifier.verifyIdToken("not.a.token", CLIENT, null), OidcException.Reason.MALFORMED);
  }

  @Test
  void verifyIdToken_unknownKid_refetchesKeysOnce_thenAcceptsTheRotatedKey() throws Exception {
    verifier.verifyIdToken(sign(rsa, JWSAlgorithm.RS256, claims().build()), CLIENT, "n-1");
    assertThat(provider.keyFetches).isEqualTo(1);
    RSAKey rotated = new RSAKeyGenerator(2048).keyID("k2").generate();
    provider.keys = new JWKSet(List.of(rsa.toPublicJWK(), rotated.toPublicJWK()));
    clock.now = T0.plus(OidcVerifier.DEFAULT_REFRESH_INTERVAL);
    String jwt = sign(rotated, JWSAlgorithm.RS256, claims().build());

    assertThat(verifier.verifyIdToken(jwt, CLIENT, "n-1").subject()).isEqualTo("agent1-sub");
    assertThat(provider.keyFetches).isEqualTo(2);
    verifier.verifyIdToken(jwt, CLIENT, "n-1");
    assertThat(provider.keyFetches).as("the rotated key is kept").isEqualTo(2);
  }

  @Test
  void verifyIdToken_unknownKids_refetchRateLimited() throws Exception {
    verifier.verifyIdToken(sign(rsa, JWSAlgorithm.RS256, claims().build()), CLIENT, "n-1");
    RSAKey unknown = new RSAKeyGenerator(2048).keyID("invented").generate();
    String jwt = sign(unknown, JWSAlgorithm.RS256, claims().build());

    for (int i = 0; i < 5; i++) {
      clock.now = T0.plusSeconds(1 + i);
      assertRefused(
          () -> verifier.verifyIdToken(jwt, CLIENT, "n-1"), OidcException.Reason.UNKNOWN_KEY);
    }
    assertThat(provider.keyFetches).as("no new fetch within the interval").isEqualTo(1);

    clock.now = T0.plus(OidcVerifier.DEFAULT_REFRESH_INTERVAL).plusSeconds(1);
    assertRefused(
        () -> verifier.verifyIdToken(jwt, CLIENT, "n-1"), OidcException.Reason.UNKNOWN_KEY);
    assertThat(provider.keyFetches).isEqualTo(2);
  }

  @Test
  void discovery_issuerMismatch_refused() throws Exception {
    provider.discoveryIssuer = "https://elsewhere.example.test";
    String jwt = sign(rsa, JWSAlgorithm.RS256, claims().build());

    assertRefused(() -> verifier.verifyIdToken(jwt, CLIENT, "n-1"), OidcException.Reason.ISSUER);
  }

  @Test
  void verifyAccessTokenOrIdToken_acceptsAzpAsAudience_refusesOthers() throws Exception {
    String access =
        sign(rsa, JWSAlgorithm.RS256, claims().audience("account").claim("azp", CLIENT).build());
    String other =
        sign(rsa, JWSAlgorithm.RS256, claims().audience("account").claim("azp", "x").build());

    assertThat(verifier.verifyAccessTokenOrIdToken(access, CLIENT).subject())
        .isEqualTo("agent1-sub");
    assertRefused(
        () -> verifier.verifyAccessTokenOrIdToken(other, CLIENT), OidcException.Reason.AUDIENCE);
  }

  @Test
  void userInfo_signedJwt_verifiedAndBoundToTheSubject() throws Exception {
    provider.userinfo =
        new OidcHttp.Answer(
            200,
            "application/jwt; charset=utf-8",
            sign(
                rsa,
                JWSAlgorithm.RS256,
                new JWTClaimsSet.Builder()
                    .issuer(ISSUER)
                    .audience(CLIENT)
                    .subject("agent1-sub")
                    .claim("siret", "21750001600019")
                    .claim("usual_name", "Dupont")
                    .build()));

    Map<String, Object> info = verifier.userInfo("at", CLIENT, "agent1-sub");

    assertThat(info).containsEntry("siret", "21750001600019").containsEntry("usual_name", "Dupont");
    assertThat(provider.lastBearer).isEqualTo("at");
    assertRefused(
        () -> verifier.userInfo("at", CLIENT, "someone-else"), OidcException.Reason.CLAIM);
  }

  @Test
  void userInfo_tamperedJwt_refused() throws Exception {
    RSAKey impostor = new RSAKeyGenerator(2048).keyID("k1").generate();
    provider.userinfo =
        new OidcHttp.Answer(
            200,
            "application/jwt",
            sign(
                impostor,
                JWSAlgorithm.RS256,
                new JWTClaimsSet.Builder().issuer(ISSUER).subject("agent1-sub").build()));

    assertRefused(
        () -> verifier.userInfo("at", CLIENT, "agent1-sub"), OidcException.Reason.SIGNATURE);
  }

  @Test
  void userInfo_plainJson_accepted() {
    provider.userinfo =
        new OidcHttp.Answer(
            200, "application/json", "{\"sub\":\"agent1-sub\",\"email\":\"a@mairie.test\"}");

    assertThat(verifier.userInfo("at", CLIENT, "agent1-sub"))
        .containsEntry("email", "a@mairie.test");
  }

  @Test
  void constructor_symmetricAlgorithm_refused() {
    assertThatThrownBy(
            () ->
                new OidcVerifier(
                    ISSUER,
                    provider,
                    clock,
                    java.util.Set.of(JWSAlgorithm.HS256),
                    Duration.ZERO,
                    Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HS256");
  }

  // ------------------------------------------------------------------ helpers

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("agent1-sub")
        .audience(CLIENT)
        .issueTime(date(T0))
        .expirationTime(date(T0.plusSeconds(300)))
        .claim("nonce", "n-1")
        .claim("groups", List.of("coffre-admins", "agents"));
  }

  private static Date date(Instant i) {
    return Date.from(i);
  }

  private static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
            claims);
    jwt.sign(key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key));
    return jwt.serialize();
  }

  private static void assertRefused(Runnable r, OidcException.Reason reason) {
    assertThatThrownBy(r::run)
        .isInstanceOf(OidcException.class)
        .satisfies(e -> assertThat(((OidcException) e).reason()).isEqualTo(reason));
  }

  /** A provider answered in the JVM: discovery, keys and userinfo. */
  private static final class FakeProvider implements OidcHttp {
    JWKSet keys = new JWKSet();
    String discoveryIssuer = ISSUER;
    Answer userinfo = new Answer(404, "", "");
    int keyFetches;
    @Nullable String lastBearer;
    final List<URI> calls = new ArrayList<>();

    @Override
    public Answer get(URI uri, @Nullable String bearer) {
      calls.add(uri);
      String u = uri.toString();
      if (u.equals(ISSUER + "/.well-known/openid-configuration")) {
        Map<String, String> doc = new HashMap<>();
        doc.put("issuer", discoveryIssuer);
        doc.put("authorization_endpoint", ISSUER + "/auth");
        doc.put("token_endpoint", ISSUER + "/token");
        doc.put("userinfo_endpoint", ISSUER + "/userinfo");
        doc.put("jwks_uri", ISSUER + "/certs");
        try {
          return new Answer(
              200,
              "application/json",
              new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(doc));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalStateException(e);
        }
      }
      if (u.equals(ISSUER + "/certs")) {
        keyFetches++;
        return new Answer(200, "application/json", keys.toString(true));
      }
      if (u.equals(ISSUER + "/userinfo")) {
        lastBearer = bearer;
        return userinfo;
      }
      return new Answer(404, "text/plain", "not found");
    }

    @Override
    public Answer postForm(
        URI uri, Map<String, String> form, @Nullable String id, @Nullable String secret) {
      return new Answer(404, "text/plain", "not found");
    }
  }

  /** A clock the test moves by hand. */
  private static final class MovableClock extends Clock {
    Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
