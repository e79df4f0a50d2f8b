package fr.coffre.service;

import fr.coffre.core.AccessDeniedException;
import fr.coffre.core.IdentityException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.Principal;
import fr.coffre.core.RoleRecord;
import fr.coffre.core.SealedException;
import fr.coffre.core.SessionCredentialRecord;
import fr.coffre.core.TenantRecord;
import fr.coffre.crypto.RootKey;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.policy.AccessDecision;
import fr.coffre.policy.RequestContext;
import fr.coffre.policy.TrustPolicy;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * STS: temporary credentials for a tenant's roles, to its own users ({@code AssumeRole}) and to
 * holders of a web identity token its roles trust ({@code AssumeRoleWithWebIdentity}).
 *
 * <p><b>How the credentials are kept.</b> The access key id ({@code ASIA…}) and its secret are
 * stored like a long-term key's (the secret sealed by the root key), in the metadata database, so
 * that every node of a cluster validates them. The session token is a random value (48 bytes,
 * base64url) of which only the SHA-256 is stored: the database never holds a usable token, a token
 * cannot be forged without the random value, and revoking is deleting the row (deleting the role
 * does). The alternative, an authenticated-encrypted blob carrying the session, would spare the
 * lookup but could not be revoked before its expiry and would add a key to manage; the lookup is
 * one primary-key read, cached.
 *
 * <p><b>Lifetimes.</b> {@code DurationSeconds} is 900 s to the role's maximum (one hour by
 * default). Web identity credentials never outlive the token's {@code exp} (AWS lets them run their
 * full duration; Coffre chose the stricter bound, so that a revoked sign-in ends with its token).
 */
public final class StsService {
  private static final Pattern ROLE_ARN =
      Pattern.compile(
          "arn:aws:iam::([0-9]{12}):role/(?:[\\x21-\\x7e]*/)?([A-Za-z0-9+=,.@_-]{1,64})");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  /** The shortest credentials STS issues, as in AWS. */
  public static final int MIN_DURATION_SECONDS = 900;

  /** How long expired credentials are kept (to answer ExpiredToken rather than an unknown key). */
  static final Duration KEEP_EXPIRED = Duration.ofDays(1);

  /**
   * Temporary credentials, with the secret and token shown this once.
   *
   * @param principal the role session they act as
   */
  public record Credentials(
      String accessKeyId,
      String secretAccessKey,
      String sessionToken,
      Instant expiration,
      String assumedRoleArn,
      String assumedRoleId,
      Principal principal) {}

  /** What AssumeRoleWithWebIdentity answers beyond the credentials. */
  public record WebIdentityCredentials(
      Credentials credentials, String subject, String audience, String provider) {}

  private final MetadataStore store;
  private final IdentityService identities;
  private final RoleService roles;
  private final RootKey rootKey;
  private final Clock clock;
  private final @Nullable WebIdentityVerifier verifier;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param verifier checks web identity tokens; null when no issuer is configured (then
   *     AssumeRoleWithWebIdentity is refused)
   */
  public StsService(
      MetadataStore store,
      IdentityService identities,
      RoleService roles,
      RootKey rootKey,
      Clock clock,
      @Nullable WebIdentityVerifier verifier) {
    this.store = store;
    this.identities = identities;
    this.roles = roles;
    this.rootKey = rootKey;
    this.clock = clock;
    this.verifier = verifier;
  }

  private record Target(TenantRecord tenant, RoleRecord role) {}

  /** The role an ARN names; AccessDenied for anything else (as AWS answers a missing role). */
  private Target target(String roleArn, @Nullable String callerTenant) {
    Matcher m = ROLE_ARN.matcher(roleArn == null ? "" : roleArn);
    if (!m.matches()) {
      throw new InvalidArgumentException("RoleArn must be arn:aws:iam::<account>:role/<name>");
    }
    String account = m.group(1);
    TenantRecord tenant =
        identities.tenants().stream()
            .filter(t -> t.accountId().equals(account))
            .findFirst()
            .orElseThrow(() -> notAuthorized(roleArn));
    if (callerTenant != null && !callerTenant.equals(tenant.name())) {
      // Cross-tenant role assumption is not supported: a tenant's roles serve its own users.
      throw notAuthorized(roleArn);
    }
    RoleRecord role =
        store.roles().role(tenant.name(), m.group(2)).orElseThrow(() -> notAuthorized(roleArn));
    return new Target(tenant, role);
  }

  private static AccessDeniedException notAuthorized(String roleArn) {
    return new AccessDeniedException("Not authorized to perform sts:AssumeRole on " + roleArn);
  }

  private static String sessionName(@Nullable String name) {
    if (name == null || !SESSION_NAME.matcher(name).matches()) {
      throw new InvalidArgumentException(
          "RoleSessionName must be 2 to 64 letters, digits or _+=,.@- : " + name);
    }
    return name;
  }

  private Instant expiry(RoleRecord role, @Nullable Integer durationSeconds) {
    int d = durationSeconds == null ? RoleRecord.DEFAULT_MAX_SESSION_SECONDS : durationSeconds;
    if (d < MIN_DURATION_SECONDS || d > role.maxSessionSeconds()) {
      throw new InvalidArgumentException(
          "DurationSeconds must be between "
              + MIN_DURATION_SECONDS
              + " and the role's MaxSessionDuration ("
              + role.maxSessionSeconds()
              + "), got "
              + d);
    }
    return clock.instant().plusSeconds(d);
  }

  /**
   * AssumeRole: a user of the role's tenant, allowed both by the role's trust policy and by its own
   * identity policies ({@code sts:AssumeRole} on the role's ARN), gets credentials.
   *
   * @param conditions the request's condition keys (aws:SourceIp, aws:SecureTransport)
   */
  public Credentials assumeRole(
      Principal caller,
      String roleArn,
      String sessionName,
      @Nullable Integer durationSeconds,
      Map<String, List<String>> conditions) {
    if (caller.isAnonymous() || caller.isRoot() || caller.isRoleSession()) {
      // AWS refuses the root user; role chaining is not supported.
      throw new AccessDeniedException(
          "Only a user of the tenant may assume its roles (not its root, not a role session)");
    }
    String name = sessionName(sessionName);
    Target t = target(roleArn, caller.tenant());
    String arn = t.role().arn(t.tenant().accountId());
    TrustPolicy trust = roles.trustPolicy(t.tenant().name(), t.role().trustPolicy());
    Map<String, List<String>> context = lower(conditions);
    context.put("aws:principalarn", List.of(caller.arn()));
    context.put("aws:username", List.of(caller.user()));
    if (!trust.allows(
        "sts:AssumeRole", TrustPolicy.Requester.user(caller.accountId(), caller.user()), context)) {
      throw notAuthorized(arn);
    }
    RequestContext ctx =
        new RequestContext(AccessService.caller(caller), "sts:AssumeRole", arn, conditions);
    if (!AccessDecision.decide(ctx, caller.accountId(), identities.policiesOf(caller), null)
        .allowed()) {
      throw notAuthorized(arn);
    }
    Instant expires = expiry(t.role(), durationSeconds);
    return issue(t, name, caller.arn(), expires);
  }

  /**
   * AssumeRoleWithWebIdentity: the holder of a token that verifies, whose issuer and claims the
   * role's trust policy accepts, gets credentials (unsigned request: the token is the proof).
   */
  public WebIdentityCredentials assumeRoleWithWebIdentity(
      String roleArn, String sessionName, String token, @Nullable Integer durationSeconds) {
    String name = sessionName(sessionName);
    if (token == null || token.isEmpty() || token.length() > 20_000) {
      throw new InvalidArgumentException("WebIdentityToken must be 4 to 20000 characters");
    }
    if (verifier == null) {
      throw new IdentityException(
          IdentityException.Reason.INVALID_IDENTITY_TOKEN,
          "no identity provider is configured on this server");
    }
    Instant now = clock.instant();
    VerifiedWebIdentity id = verifier.verify(token, now);
    Target t = target(roleArn, null);
    String arn = t.role().arn(t.tenant().accountId());
    String provider = TrustPolicy.provider(id.issuer());
    Map<String, List<String>> context = new HashMap<>();
    id.claims()
        .forEach(
            (claim, values) ->
                context.put((provider + ":" + claim).toLowerCase(Locale.ROOT), values));
    context.put(provider.toLowerCase(Locale.ROOT) + ":aud", id.audience());
    context.put(provider.toLowerCase(Locale.ROOT) + ":sub", List.of(id.subject()));
    TrustPolicy trust = roles.trustPolicy(t.tenant().name(), t.role().trustPolicy());
    if (!trust.allows(
        "sts:AssumeRoleWithWebIdentity", TrustPolicy.Requester.federated(id.issuer()), context)) {
      throw new AccessDeniedException(
          "Not authorized to perform sts:AssumeRoleWithWebIdentity on " + arn);
    }
    Instant expires = expiry(t.role(), durationSeconds);
    if (id.expiry().isBefore(expires)) {
      expires = id.expiry();
    }
    Credentials c = issue(t, name, id.issuer() + "|" + id.subject(), expires);
    return new WebIdentityCredentials(
        c, id.subject(), id.audience().isEmpty() ? "" : id.audience().get(0), provider);
  }

  private static Map<String, List<String>> lower(Map<String, List<String>> conditions) {
    Map<String, List<String>> out = new HashMap<>();
    conditions.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
    return out;
  }

  private Credentials issue(Target t, String sessionName, String source, Instant expires) {
    Instant now = clock.instant();
    String id = IdentityService.TEMPORARY_PREFIX + random(KEY_ALPHABET, 16);
    String secret = random(SECRET_ALPHABET, 40);
    byte[] tokenBytes = new byte[48];
    random.nextBytes(tokenBytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(tokenBytes);
    byte[] sealed;
    try {
      sealed =
          rootKey.wrap(secret.getBytes(StandardCharsets.UTF_8), IdentityService.sessionContext(id));
    } catch (GeneralSecurityException e) {
      throw new SealedException();
    }
    store
        .roles()
        .createSessionCredential(
            new SessionCredentialRecord(
                id,
                t.tenant().name(),
                t.role().name(),
                sessionName,
                source,
                sealed,
                HexFormat.of().formatHex(IdentityService.sha256(token)),
                now,
                expires));
    store.roles().deleteExpiredSessionCredentials(now.minus(KEEP_EXPIRED));
    String account = t.tenant().accountId();
    String roleId =
        "AROA"
            + HexFormat.of()
                .formatHex(IdentityService.sha256(t.tenant().name() + "/" + t.role().name()))
                .substring(0, 17)
                .toUpperCase(Locale.ROOT);
    return new Credentials(
        id,
        secret,
        token,
        expires,
        "arn:aws:sts::" + account + ":assumed-role/" + t.role().name() + "/" + sessionName,
        roleId + ":" + sessionName,
        Principal.roleSession(t.tenant().name(), account, t.role().name(), sessionName, id));
  }

  private String random(String alphabet, int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
