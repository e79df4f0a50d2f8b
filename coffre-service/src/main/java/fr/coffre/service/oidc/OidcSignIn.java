package fr.coffre.service.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.coffre.core.CoffreException;
import fr.coffre.core.Principal;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.UserRecord;
import fr.coffre.service.IdentityService;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The tenant console's sign-in through an organisation's OpenID Connect provider: the authorization
 * code flow with PKCE (S256), {@code state} and {@code nonce}.
 *
 * <p>{@link #start} makes a fresh state, nonce and PKCE verifier, keeps them here (never in the
 * browser) for {@link #PENDING_TTL}, and gives the provider's authorization URL. {@link #complete}
 * takes the state back exactly once (a replay finds nothing), exchanges the code with the verifier
 * at the token endpoint (client secret by HTTP Basic), verifies the ID token with the nonce, reads
 * userinfo when configured, then maps the claims: the tenant claim to a tenant of this server, the
 * user claim to a user name, the groups to policies.
 *
 * <p>The person becomes a <em>federated</em> user of the tenant: created at the first sign-in, with
 * no access key, and with exactly the policies the mapping grants, named {@value #POLICY_PREFIX}
 * and replaced at every sign-in (policies a tenant admin attached under other names stay). A local
 * user of the same name that holds access keys is never taken over. The console session's subject
 * is {@value #SUBJECT_PREFIX}{@code tenant/user}.
 *
 * <p>Pending sign-ins live in this node's memory, bounded ({@link #MAX_PENDING}): behind a load
 * balancer the callback must reach the node that started it (sticky sessions), or the sign-in is
 * refused as expired and started again.
 */
public final class OidcSignIn {
  /** How long a started sign-in may take at the provider. */
  public static final Duration PENDING_TTL = Duration.ofMinutes(10);

  /** At most this many sign-ins pending at once; the oldest are forgotten beyond. */
  static final int MAX_PENDING = 10_000;

  /** A console session's subject for a federated user: {@code oidc:tenant/user}. */
  public static final String SUBJECT_PREFIX = "oidc:";

  /** The names of the policies a sign-in grants start with this. */
  public static final String POLICY_PREFIX = "oidc-";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OidcSettings settings;
  private final OidcVerifier verifier;
  private final OidcHttp http;
  private final IdentityService identities;
  private final Clock clock;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  private record Pending(String nonce, String codeVerifier, Instant created) {}

  /**
   * A started sign-in.
   *
   * @param authorizationUrl where to send the browser
   * @param state the value the provider sends back; the caller binds it to the browser (cookie)
   */
  public record Start(URI authorizationUrl, String state) {}

  /**
   * A completed sign-in.
   *
   * @param principal the federated user, as requests name it
   * @param sessionSubject what the console session remembers
   * @param policies the names of the policies the mapping granted
   * @param created whether the user was created by this sign-in
   * @param claims the verified claims (ID token and userinfo)
   */
  public record SignedIn(
      Principal principal,
      String sessionSubject,
      List<String> policies,
      boolean created,
      VerifiedClaims claims) {}

  public OidcSignIn(
      OidcSettings settings,
      OidcVerifier verifier,
      OidcHttp http,
      IdentityService identities,
      Clock clock) {
    if (!verifier.issuer().equals(settings.issuer())) {
      throw new IllegalArgumentException("the verifier is for another issuer");
    }
    this.settings = settings;
    this.verifier = verifier;
    this.http = http;
    this.identities = identities;
    this.clock = clock;
  }

  public OidcSettings settings() {
    return settings;
  }

  /** Starts a sign-in: discovery (first time), a new state, nonce and PKCE verifier. */
  public Start start() {
    ProviderMetadata m = verifier.metadata();
    Instant now = clock.instant();
    sweep(now);
    String state = random();
    String nonce = random();
    String codeVerifier = random();
    pending.put(state, new Pending(nonce, codeVerifier, now));
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", settings.clientId());
    q.put("redirect_uri", settings.redirectUri().toString());
    q.put("scope", String.join(" ", settings.scopes()));
    q.put("state", state);
    q.put("nonce", nonce);
    q.put("code_challenge", challenge(codeVerifier));
    q.put("code_challenge_method", "S256");
    String base = m.authorizationEndpoint().toString();
    String query =
        q.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return new Start(URI.create(base + (base.contains("?") ? "&" : "?") + query), state);
  }

  /**
   * Completes a sign-in the provider sent back.
   *
   * @throws OidcException for a refused sign-in: unknown, used or expired state; a code the
   *     provider refuses; a token that fails verification; claims that map to no tenant
   */
  public SignedIn complete(@Nullable String state, @Nullable String code) {
    Pending p = state == null ? null : pending.remove(state);
    if (p == null || clock.instant().isAfter(p.created().plus(PENDING_TTL))) {
      throw new OidcException(
          OidcException.Reason.STATE,
          "this sign-in is unknown, expired or was used already; start again");
    }
    if (code == null || code.isBlank()) {
      throw new OidcException(
          OidcException.Reason.MALFORMED, "the provider sent no authorization code");
    }
    Tokens tokens = exchange(code, p.codeVerifier());
    VerifiedClaims claims =
        verifier.verifyIdToken(tokens.idToken(), settings.clientId(), p.nonce());
    if (settings.userinfo()) {
      if (tokens.accessToken() == null) {
        throw new OidcException(
            OidcException.Reason.PROVIDER, "the provider gave no access token for userinfo");
      }
      claims =
          claims.with(
              verifier.userInfo(tokens.accessToken(), settings.clientId(), claims.subject()));
    }
    return provision(claims);
  }

  /**
   * Who a console session of a federated user is; empty when it is not such a subject or its user
   * was deleted or disabled since.
   */
  public Optional<Principal> principal(String sessionSubject) {
    return federatedPrincipal(identities, sessionSubject);
  }

  /**
   * As {@link #principal}, for callers that hold no {@code OidcSignIn} (no provider configured).
   */
  public static Optional<Principal> federatedPrincipal(
      IdentityService identities, @Nullable String sessionSubject) {
    if (sessionSubject == null || !sessionSubject.startsWith(SUBJECT_PREFIX)) {
      return Optional.empty();
    }
    String rest = sessionSubject.substring(SUBJECT_PREFIX.length());
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return Optional.empty();
    }
    String tenant = rest.substring(0, slash);
    String user = rest.substring(slash + 1);
    try {
      UserRecord u = identities.user(tenant, user);
      if (!u.enabled()) {
        return Optional.empty();
      }
      TenantRecord t = identities.tenant(tenant);
      return Optional.of(new Principal(tenant, t.accountId(), user, null));
    } catch (CoffreException e) {
      return Optional.empty();
    }
  }

  // ------------------------------------------------------------------ token endpoint

  private record Tokens(String idToken, @Nullable String accessToken) {}

  private Tokens exchange(String code, String codeVerifier) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", settings.redirectUri().toString());
    form.put("code_verifier", codeVerifier);
    OidcHttp.Answer a;
    try {
      a =
          http.postForm(
              verifier.metadata().tokenEndpoint(),
              form,
              settings.clientId(),
              settings.clientSecret());
    } catch (IOException e) {
      throw new OidcException(
          OidcException.Reason.PROVIDER, "the provider's token endpoint cannot be reached", e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(a.body());
    } catch (IOException e) {
      body = null;
    }
    if (a.status() != 200) {
      // The OAuth error code (invalid_grant…) is safe to show; its description may not be.
      String error = body == null ? "" : body.path("error").asText("");
      throw new OidcException(
          OidcException.Reason.PROVIDER,
          "the provider refused the authorization code (HTTP "
              + a.status()
              + (error.matches("[a-z_]{1,64}") ? ", " + error : "")
              + ")");
    }
    String idToken = body == null ? "" : body.path("id_token").asText("");
    if (idToken.isEmpty()) {
      throw new OidcException(OidcException.Reason.PROVIDER, "the provider gave no ID token");
    }
    String access = body.path("access_token").asText("");
    return new Tokens(idToken, access.isEmpty() ? null : access);
  }

  // ------------------------------------------------------------------ mapping

  private SignedIn provision(VerifiedClaims claims) {
    String tenant = tenantOf(claims);
    String userName = claims.string(settings.userClaim());
    if (userName == null || userName.isEmpty()) {
      throw new OidcException(
          OidcException.Reason.CLAIM,
          "the provider did not give the claim " + settings.userClaim() + " that names users");
    }
    try {
      UserRecord.validName(userName);
    } catch (CoffreException e) {
      throw new OidcException(
          OidcException.Reason.MAPPING,
          "the claim "
              + settings.userClaim()
              + " is not a valid user name (1 to 64 letters, digits or +=,.@_-)");
    }
    Set<String> wanted = new LinkedHashSet<>(settings.defaultPolicies());
    if (settings.groupsClaim() != null) {
      for (String group : claims.strings(settings.groupsClaim())) {
        wanted.addAll(settings.groupPolicies().getOrDefault(group, List.of()));
      }
    }
    boolean created = false;
    Optional<UserRecord> existing =
        identities.users(tenant).stream().filter(u -> u.name().equals(userName)).findFirst();
    if (existing.isPresent()) {
      if (!identities.accessKeys(tenant, userName).isEmpty()) {
        throw new OidcException(
            OidcException.Reason.MAPPING,
            "tenant "
                + tenant
                + " has a local user "
                + userName
                + " with access keys; it cannot sign in through the identity provider");
      }
      if (!existing.get().enabled()) {
        throw new OidcException(
            OidcException.Reason.MAPPING, "user " + userName + " is disabled in tenant " + tenant);
      }
    } else {
      identities.createUser(tenant, userName);
      created = true;
    }
    Map<String, String> current = identities.userPolicies(tenant, userName);
    for (String name : current.keySet()) {
      if (name.startsWith(POLICY_PREFIX)
          && !wanted.contains(name.substring(POLICY_PREFIX.length()))) {
        identities.deleteUserPolicy(tenant, userName, name);
      }
    }
    for (String policy : wanted) {
      String doc = settings.document(policy);
      if (!doc.equals(current.get(POLICY_PREFIX + policy))) {
        identities.putUserPolicy(tenant, userName, POLICY_PREFIX + policy, doc);
      }
    }
    TenantRecord t = identities.tenant(tenant);
    return new SignedIn(
        new Principal(tenant, t.accountId(), userName, null),
        SUBJECT_PREFIX + tenant + "/" + userName,
        List.copyOf(wanted),
        created,
        claims);
  }

  private String tenantOf(VerifiedClaims claims) {
    String value = claims.string(settings.tenantClaim());
    if (value == null || value.isEmpty()) {
      throw new OidcException(
          OidcException.Reason.MAPPING,
          "the provider did not say which organisation you belong to (claim "
              + settings.tenantClaim()
              + ")");
    }
    String tenant = settings.tenants().isEmpty() ? value : settings.tenants().get(value);
    if (tenant == null) {
      throw new OidcException(
          OidcException.Reason.MAPPING,
          "your organisation ("
              + settings.tenantClaim()
              + " "
              + value
              + ") has no tenant on this server");
    }
    try {
      identities.tenant(tenant);
    } catch (CoffreException e) {
      throw new OidcException(
          OidcException.Reason.MAPPING,
          "your organisation (" + settings.tenantClaim() + " " + value + ") has no tenant here");
    }
    return tenant;
  }

  // ------------------------------------------------------------------ helpers

  private void sweep(Instant now) {
    pending.values().removeIf(p -> now.isAfter(p.created().plus(PENDING_TTL)));
    if (pending.size() >= MAX_PENDING) {
      pending.entrySet().stream()
          .sorted(Map.Entry.comparingByValue((a, b) -> a.created().compareTo(b.created())))
          .limit(pending.size() - MAX_PENDING + 1L)
          .map(Map.Entry::getKey)
          .toList()
          .forEach(pending::remove);
    }
  }

  /** The S256 code challenge of a verifier (RFC 7636 section 4.2). */
  static String challenge(String codeVerifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(codeVerifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
