package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import fr.coffre.core.IdentityException;
import fr.coffre.service.VerifiedWebIdentity;
import fr.coffre.service.oidc.OidcHttp;
import fr.coffre.service.oidc.OidcVerifier;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * STS web identity through OIDC discovery: a provider in the JVM publishing its discovery document
 * and keys; a token for one of the client ids (by {@code aud} or {@code azp}) is accepted with its
 * claims, an expired one is told apart, every other refusal is an invalid token.
 */
class DiscoveredWebIdentityVerifierTest {
  private static final String ISSUER = "https://idp.example.test/realms/mairie";
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private RSAKey key;
  private DiscoveredWebIdentityVerifier verifier;

  @BeforeEach
  void provider() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    String keys = new JWKSet(key.toPublicJWK()).toString();
    OidcHttp http =
        new OidcHttp() {
          @Override
          public Answer get(URI uri, @Nullable String bearer) {
            if (uri.toString().equals(ISSUER + "/.well-known/openid-configuration")) {
              return new Answer(
                  200,
                  "application/json",
                  "{\"issuer\":\""
                      + ISSUER
                      + "\",\"jwks_uri\":\""
                      + ISSUER
                      + "/certs\","
                      + "\"authorization_endpoint\":\""
                      + ISSUER
                      + "/auth\","
                      + "\"token_endpoint\":\""
                      + ISSUER
                      + "/token\"}");
            }
            if (uri.toString().equals(ISSUER + "/certs")) {
              return new Answer(200, "application/json", keys);
            }
            return new Answer(404, "text/plain", "");
          }

          @Override
          public Answer postForm(
              URI uri,
              Map<String, String> form,
              @Nullable String clientId,
              @Nullable String clientSecret) {
            return new Answer(404, "text/plain", "");
          }
        };
    verifier =
        new DiscoveredWebIdentityVerifier(
            new OidcVerifier(ISSUER, http, Clock.fixed(NOW, ZoneOffset.UTC)),
            List.of("coffre", "coffre-console"));
  }

  private String token(Consumer<JWTClaimsSet.Builder> change) throws Exception {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject("agent-42")
            .audience("coffre-console")
            .issueTime(Date.from(NOW.minusSeconds(10)))
            .expirationTime(Date.from(NOW.plusSeconds(300)))
            .claim("siret", "21750001600019")
            .claim("groups", List.of("agents", "elus"));
    change.accept(claims);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims.build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  @Test
  void aTokenForOneOfTheClients_givesItsIdentityAndClaims() throws Exception {
    VerifiedWebIdentity id = verifier.verify(token(b -> {}), NOW);
    assertThat(id.issuer()).isEqualTo(ISSUER);
    assertThat(id.subject()).isEqualTo("agent-42");
    assertThat(id.audience()).containsExactly("coffre-console");
    assertThat(id.expiry()).isEqualTo(NOW.plusSeconds(300));
    assertThat(id.claims()).containsEntry("siret", List.of("21750001600019"));
    assertThat(id.claims()).containsEntry("groups", List.of("agents", "elus"));
    // An access token naming the client in azp, for another audience, is accepted as Keycloak's.
    assertThat(verifier.verify(token(b -> b.audience("account").claim("azp", "coffre")), NOW))
        .extracting(VerifiedWebIdentity::subject)
        .isEqualTo("agent-42");
  }

  @Test
  void refusals_expiredToldApart_othersInvalid() throws Exception {
    assertThatThrownBy(
            () ->
                verifier.verify(
                    token(b -> b.expirationTime(Date.from(NOW.minusSeconds(120)))), NOW))
        .isInstanceOfSatisfying(
            IdentityException.class,
            e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.EXPIRED_TOKEN));
    for (String bad :
        List.of(
            token(b -> b.audience("another-client")),
            token(b -> b.issuer("https://evil.example.test/realms/mairie")),
            token(b -> b.notBeforeTime(Date.from(NOW.plusSeconds(600)))),
            "not.a.token")) {
      assertThatThrownBy(() -> verifier.verify(bad, NOW))
          .isInstanceOfSatisfying(
              IdentityException.class,
              e ->
                  assertThat(e.reason())
                      .isEqualTo(IdentityException.Reason.INVALID_IDENTITY_TOKEN));
    }
  }

  @Test
  void withoutClientIds_refusedAtStart() {
    assertThatThrownBy(
            () ->
                new DiscoveredWebIdentityVerifier(
                    new OidcVerifier(ISSUER, OidcHttp.jdk(), Clock.systemUTC()), List.of()))
        .hasMessageContaining("client-ids");
  }
}
