package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import fr.coffre.service.oidc.OidcException;
import fr.coffre.service.oidc.OidcHttp;
import fr.coffre.service.oidc.OidcSettings;
import fr.coffre.service.oidc.OidcSignIn;
import fr.coffre.service.oidc.OidcVerifier;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's OIDC sign-in against a provider answered in the JVM (which checks PKCE as a real
 * one does) and real identity stores: mapping to a tenant, federated users and their policies,
 * replay.
 */
class OidcSignInTest {
  private static final String ISSUER = "https://idp.example.test/realms/mairie";
  private static final String CLIENT = "coffre-console";
  private static final String SECRET = "client-secret";

  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;
  private Provider provider;
  private OidcSignIn signIn;

  @BeforeEach
  void setUp() throws Exception {
    f = ServiceFixture.open(dir);
    f.identities.createTenant("mairie", null);
    provider = new Provider(new RSAKeyGenerator(2048).keyID("k1").generate());
    OidcSettings settings =
        new OidcSettings(
            "Keycloak",
            ISSUER,
            CLIENT,
            SECRET,
            URI.create("https://coffre.test/oidc/callback"),
            List.of("openid"),
            false,
            "preferred_username",
            "siret",
            Map.of("21750001600019", "mairie"),
            "groups",
            Map.of("coffre-admins", List.of("TenantAdmin")),
            List.of("ReadOnly"),
            Map.of());
    signIn =
        new OidcSignIn(
            settings, new OidcVerifier(ISSUER, provider, f.clock), provider, f.identities, f.clock);
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  @Test
  void complete_firstSignIn_createsFederatedUserWithMappedPolicies() {
    provider.claims = claims("agent1", "21750001600019", List.of("coffre-admins"));

    OidcSignIn.SignedIn s = finish(signIn.start());

    assertThat(s.created()).isTrue();
    assertThat(s.principal().tenant()).isEqualTo("mairie");
    assertThat(s.principal().user()).isEqualTo("agent1");
    assertThat(s.principal().accessKey()).isNull();
    assertThat(s.sessionSubject()).isEqualTo("oidc:mairie/agent1");
    assertThat(f.identities.userPolicies("mairie", "agent1"))
        .containsOnlyKeys("oidc-ReadOnly", "oidc-TenantAdmin");
    assertThat(f.identities.accessKeys("mairie", "agent1")).isEmpty();
    assertThat(signIn.principal(s.sessionSubject())).contains(s.principal());
  }

  @Test
  void complete_groupRemoved_policiesRecalculated_othersKept() {
    provider.claims = claims("agent1", "21750001600019", List.of("coffre-admins"));
    finish(signIn.start());
    f.identities.putUserPolicy(
        "mairie", "agent1", "Extra", OidcSettings.BUILT_IN_POLICIES.get("ReadWrite"));
    provider.claims = claims("agent1", "21750001600019", List.of());

    OidcSignIn.SignedIn again = finish(signIn.start());

    assertThat(again.created()).isFalse();
    assertThat(f.identities.userPolicies("mairie", "agent1"))
        .containsOnlyKeys("oidc-ReadOnly", "Extra");
  }

  @Test
  void complete_replayedState_refused() {
    provider.claims = claims("agent1", "21750001600019", List.of());
    OidcSignIn.Start start = signIn.start();
    finish(start);

    assertThatThrownBy(() -> finish(start))
        .isInstanceOf(OidcException.class)
        .satisfies(
            e -> assertThat(((OidcException) e).reason()).isEqualTo(OidcException.Reason.STATE));
  }

  @Test
  void complete_expiredState_refused() {
    provider.claims = claims("agent1", "21750001600019", List.of());
    OidcSignIn.Start start = signIn.start();
    f.clock.now = f.clock.now.plus(OidcSignIn.PENDING_TTL).plusSeconds(1);

    assertThatThrownBy(() -> finish(start))
        .isInstanceOf(OidcException.class)
        .satisfies(
            e -> assertThat(((OidcException) e).reason()).isEqualTo(OidcException.Reason.STATE));
  }

  @Test
  void complete_unknownOrganisation_refusedAndNoUserCreated() {
    provider.claims = claims("stranger", "99999999900099", List.of());

    assertThatThrownBy(() -> finish(signIn.start()))
        .isInstanceOf(OidcException.class)
        .hasMessageContaining("99999999900099")
        .satisfies(
            e -> assertThat(((OidcException) e).reason()).isEqualTo(OidcException.Reason.MAPPING));
    assertThat(f.identities.users("mairie")).isEmpty();
  }

  @Test
  void complete_localUserWithAccessKeys_notTakenOver() {
    f.identities.createUser("mairie", "agent1");
    f.identities.createAccessKey("mairie", "agent1");
    provider.claims = claims("agent1", "21750001600019", List.of("coffre-admins"));

    assertThatThrownBy(() -> finish(signIn.start()))
        .isInstanceOf(OidcException.class)
        .hasMessageContaining("access keys");
    assertThat(f.identities.userPolicies("mairie", "agent1")).isEmpty();
  }

  @Test
  void complete_wrongPkceVerifier_refusedByTheProvider() {
    provider.claims = claims("agent1", "21750001600019", List.of());
    OidcSignIn.Start first = signIn.start();
    OidcSignIn.Start second = signIn.start();
    String codeOfFirst = provider.authorize(first.authorizationUrl());
    provider.authorize(second.authorizationUrl());

    assertThatThrownBy(() -> signIn.complete(second.state(), codeOfFirst))
        .isInstanceOf(OidcException.class)
        .hasMessageContaining("invalid_grant");
  }

  @Test
  void principal_disabledUser_empty() {
    provider.claims = claims("agent1", "21750001600019", List.of());
    OidcSignIn.SignedIn s = finish(signIn.start());
    f.identities.setUserEnabled("mairie", "agent1", false);

    assertThat(signIn.principal(s.sessionSubject())).isEmpty();
    assertThat(signIn.principal("oidc:nowhere")).isEmpty();
  }

  private OidcSignIn.SignedIn finish(OidcSignIn.Start start) {
    return signIn.complete(start.state(), provider.authorize(start.authorizationUrl()));
  }

  private JWTClaimsSet.Builder claims(String user, String siret, List<String> groups) {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("sub-" + user)
        .audience(CLIENT)
        .claim("preferred_username", user)
        .claim("siret", siret)
        .claim("groups", groups);
  }

  /** A provider in the JVM: discovery, keys, authorization (remembering the PKCE challenge). */
  private final class Provider implements OidcHttp {
    private final RSAKey key;
    private final Map<String, String[]> codes = new HashMap<>(); // code → {challenge, nonce}
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
    private int next;

    Provider(RSAKey key) {
      this.key = key;
    }

    /** The browser at the authorization endpoint: a code for that request. */
    String authorize(URI url) {
      Map<String, String> q = new HashMap<>();
      for (String pair : url.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        q.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
      }
      assertThat(q)
          .containsEntry("code_challenge_method", "S256")
          .containsEntry("client_id", CLIENT);
      String code = "code-" + next++;
      codes.put(code, new String[] {q.get("code_challenge"), q.get("nonce")});
      return code;
    }

    @Override
    public Answer get(URI uri, @Nullable String bearer) {
      if (uri.toString().endsWith("/.well-known/openid-configuration")) {
        return new Answer(
            200,
            "application/json",
            "{\"issuer\":\""
                + ISSUER
                + "\",\"authorization_endpoint\":\""
                + ISSUER
                + "/auth\",\"token_endpoint\":\""
                + ISSUER
                + "/token\",\"jwks_uri\":\""
                + ISSUER
                + "/certs\"}");
      }
      if (uri.toString().endsWith("/certs")) {
        return new Answer(200, "application/json", new JWKSet(key.toPublicJWK()).toString());
      }
      return new Answer(404, "text/plain", "");
    }

    @Override
    public Answer postForm(
        URI uri, Map<String, String> form, @Nullable String clientId, @Nullable String secret) {
      assertThat(clientId).isEqualTo(CLIENT);
      assertThat(secret).isEqualTo(SECRET);
      String[] issued = codes.remove(form.get("code"));
      if (issued == null || !issued[0].equals(s256(form.get("code_verifier")))) {
        return new Answer(400, "application/json", "{\"error\":\"invalid_grant\"}");
      }
      Date now = Date.from(f.clock.instant());
      JWTClaimsSet c =
          claims
              .issueTime(now)
              .expirationTime(Date.from(f.clock.instant().plusSeconds(300)))
              .claim("nonce", issued[1])
              .build();
      try {
        SignedJWT jwt =
            new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), c);
        jwt.sign(new RSASSASigner(key));
        return new Answer(
            200,
            "application/json",
            "{\"id_token\":\"" + jwt.serialize() + "\",\"access_token\":\"at\"}");
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    private String s256(String verifier) {
      try {
        return Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
