package fr.coffre.service;

import fr.coffre.core.AccessKeyRecord;
import fr.coffre.core.CorruptDataException;
import fr.coffre.core.IdentityException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.PolicyHolder;
import fr.coffre.core.Principal;
import fr.coffre.core.Quota;
import fr.coffre.core.SealedException;
import fr.coffre.core.SessionCredentialRecord;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.Usage;
import fr.coffre.core.UserRecord;
import fr.coffre.crypto.RootKey;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.policy.MalformedPolicyException;
import fr.coffre.policy.Policy;
import fr.coffre.policy.PolicyKind;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Tenants, their users, access keys and identity policies: the operator's use cases, and the
 * lookups every request makes (whose key is this, what may this user do).
 *
 * <p>Secrets are sealed by the root key before they reach the store and shown once, at creation.
 * Lookups are answered from a cache that every change made through this service empties, so a
 * deactivated key or a changed policy takes effect on the next request (several nodes sharing a
 * database will need a change feed; one process does not).
 */
public final class IdentityService {
  private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  /** A key that signs requests: who it belongs to and its secret, unsealed. */
  private record ActiveKey(Principal principal, String secret) {}

  /** Temporary credentials (STS): a role session, its secret, its token's hash and its end. */
  private record SessionKey(
      Principal principal, String secret, byte[] tokenHash, Instant expires) {}

  /** The prefix of temporary credentials' access key ids, as in AWS. */
  public static final String TEMPORARY_PREFIX = "ASIA";

  /** A new access key, with the secret that is shown this once. */
  public record NewAccessKey(
      String accessKeyId, String secretAccessKey, String tenant, String user) {}

  private final MetadataStore store;
  private final RootKey rootKey;
  private final Clock clock;
  private final String rootAccessKey;
  private final Supplier<String> rootSecret;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, ActiveKey> keys = new ConcurrentHashMap<>();
  private final Map<String, List<Policy>> policies = new ConcurrentHashMap<>();
  private final Map<String, TenantRecord> tenantCache = new ConcurrentHashMap<>();
  private final Map<String, SessionKey> sessionKeys = new ConcurrentHashMap<>();

  /**
   * @param rootAccessKey the root credentials' access key: the default tenant's root
   * @param rootSecret its secret, read when first needed
   */
  public IdentityService(
      MetadataStore store,
      RootKey rootKey,
      Clock clock,
      String rootAccessKey,
      Supplier<String> rootSecret) {
    this.store = store;
    this.rootKey = rootKey;
    this.clock = clock;
    this.rootAccessKey = rootAccessKey;
    this.rootSecret = rootSecret;
  }

  /** The name of the metadata counter an identity change bumps (other nodes then drop caches). */
  public static final String GENERATION = "identities";

  /** Empties this node's caches and tells the other nodes to empty theirs. */
  void changed() {
    invalidateCaches();
    store.nodes().bumpGeneration(GENERATION);
  }

  /**
   * Drops every cached key, policy and tenant: another node of the cluster changed identities (its
   * change bumped {@link #GENERATION}).
   */
  public void invalidateCaches() {
    keys.clear();
    policies.clear();
    tenantCache.clear();
    sessionKeys.clear();
  }

  // ------------------------------------------------------------------ request-time lookups

  /** The secret of an active access key of an enabled user; empty for anything else. */
  public Optional<String> secretKey(String accessKeyId) {
    return active(accessKeyId).map(ActiveKey::secret);
  }

  /**
   * The secret of a key presented with a session token ({@code x-amz-security-token}), as AWS
   * judges them: temporary credentials ({@value #TEMPORARY_PREFIX}…) without a token are unknown
   * (empty: InvalidAccessKeyId); a token that is not theirs, or any token with a long-term key, is
   * IdentityException INVALID_TOKEN; temporary credentials past their expiry are EXPIRED_TOKEN.
   */
  public Optional<String> secretKey(String accessKeyId, @Nullable String sessionToken) {
    if (accessKeyId == null || !accessKeyId.startsWith(TEMPORARY_PREFIX)) {
      if (sessionToken != null) {
        throw new IdentityException(
            IdentityException.Reason.INVALID_TOKEN, "a session token with a long-term key");
      }
      return secretKey(accessKeyId);
    }
    Optional<SessionKey> found = session(accessKeyId);
    if (found.isEmpty() || sessionToken == null) {
      return Optional.empty();
    }
    SessionKey k = found.get();
    if (!MessageDigest.isEqual(k.tokenHash(), sha256(sessionToken))) {
      throw new IdentityException(
          IdentityException.Reason.INVALID_TOKEN, "the session token is not this key's");
    }
    if (!clock.instant().isBefore(k.expires())) {
      throw new IdentityException(
          IdentityException.Reason.EXPIRED_TOKEN, "the temporary credentials have expired");
    }
    return Optional.of(k.secret());
  }

  /** Who an access key belongs to; empty if it is unknown, inactive or its user disabled. */
  public Optional<Principal> principal(String accessKeyId) {
    if (accessKeyId != null && accessKeyId.startsWith(TEMPORARY_PREFIX)) {
      return session(accessKeyId)
          .filter(k -> clock.instant().isBefore(k.expires()))
          .map(SessionKey::principal);
    }
    return active(accessKeyId).map(ActiveKey::principal);
  }

  private Optional<SessionKey> session(String accessKeyId) {
    SessionKey cached = sessionKeys.get(accessKeyId);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<SessionCredentialRecord> record = store.roles().sessionCredential(accessKeyId);
    if (record.isEmpty()) {
      return Optional.empty();
    }
    SessionCredentialRecord r = record.get();
    TenantRecord tenant = tenant(r.tenant());
    String secret;
    try {
      secret =
          new String(
              rootKey.unwrap(r.sealedSecret(), sessionContext(accessKeyId)),
              StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new CorruptDataException(
          "the sealed secret of temporary credentials "
              + accessKeyId
              + " does not open with this root key",
          e);
    }
    SessionKey k =
        new SessionKey(
            Principal.roleSession(
                r.tenant(), tenant.accountId(), r.role(), r.sessionName(), accessKeyId),
            secret,
            HexFormat.of().parseHex(r.tokenHash()),
            r.expires());
    if (sessionKeys.size() >= 10_000) {
      sessionKeys.clear(); // a bound, not an eviction policy: a refill is one read
    }
    sessionKeys.put(accessKeyId, k);
    return Optional.of(k);
  }

  /** The associated data a temporary secret is sealed under the root key with. */
  public static byte[] sessionContext(String accessKeyId) {
    return ("coffre session key v1|" + accessKeyId).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Optional<ActiveKey> active(String accessKeyId) {
    if (accessKeyId == null) {
      return Optional.empty();
    }
    if (accessKeyId.equals(rootAccessKey)) {
      return Optional.of(
          new ActiveKey(
              new Principal(
                  TenantRecord.DEFAULT, TenantRecord.DEFAULT_ACCOUNT, null, rootAccessKey),
              rootSecret.get()));
    }
    ActiveKey cached = keys.get(accessKeyId);
    if (cached != null) {
      return Optional.of(cached);
    }
    // Unknown keys are not cached: a client spraying random ids must not grow the map.
    Optional<AccessKeyRecord> record =
        store.accessKey(accessKeyId).filter(AccessKeyRecord::enabled);
    if (record.isEmpty()) {
      return Optional.empty();
    }
    AccessKeyRecord k = record.get();
    Optional<UserRecord> user = store.user(k.tenant(), k.user()).filter(UserRecord::enabled);
    if (user.isEmpty()) {
      return Optional.empty();
    }
    TenantRecord tenant = tenant(k.tenant());
    ActiveKey active =
        new ActiveKey(
            new Principal(k.tenant(), tenant.accountId(), k.user(), accessKeyId), unseal(k));
    keys.put(accessKeyId, active);
    return Optional.of(active);
  }

  /**
   * The identity policies of a user (its own, its managed ones, its groups' own and managed ones)
   * or of a role session (the role's own and managed ones), parsed; none for a root or anonymous
   * principal.
   */
  public List<Policy> policiesOf(Principal principal) {
    if (principal.isAnonymous() || principal.isRoot()) {
      return List.of();
    }
    String tenant = principal.tenant();
    if (principal.isRoleSession()) {
      String role = principal.role();
      return policies.computeIfAbsent(
          tenant + "/role:" + role,
          k -> {
            List<String> docs = new ArrayList<>(store.roles().rolePolicies(tenant, role).values());
            docs.addAll(managed(tenant, PolicyHolder.ROLE, role));
            return parsed(docs);
          });
    }
    String user = principal.user();
    return policies.computeIfAbsent(
        tenant + "/" + user,
        k -> {
          List<String> docs = new ArrayList<>(store.userPolicies(tenant, user).values());
          docs.addAll(managed(tenant, PolicyHolder.USER, user));
          for (String group : store.roles().groupsOf(tenant, user)) {
            docs.addAll(store.roles().groupPolicies(tenant, group).values());
            docs.addAll(managed(tenant, PolicyHolder.GROUP, group));
          }
          return parsed(docs);
        });
  }

  private List<String> managed(String tenant, PolicyHolder kind, String holder) {
    List<String> docs = new ArrayList<>();
    for (String name : store.roles().attachedPolicies(tenant, kind, holder)) {
      store.roles().managedPolicy(tenant, name).ifPresent(docs::add);
    }
    return docs;
  }

  private static List<Policy> parsed(List<String> documents) {
    return documents.stream().map(doc -> parse(doc, PolicyKind.IDENTITY)).toList();
  }

  /** A tenant, or IdentityException NO_SUCH_TENANT. */
  public TenantRecord tenant(String name) {
    TenantRecord cached = tenantCache.get(name);
    if (cached != null) {
      return cached;
    }
    TenantRecord t =
        store
            .tenant(name)
            .orElseThrow(
                () ->
                    new IdentityException(
                        IdentityException.Reason.NO_SUCH_TENANT, "no tenant named " + name));
    tenantCache.put(name, t);
    return t;
  }

  static Policy parse(String document, PolicyKind kind) {
    try {
      return Policy.parse(document, kind);
    } catch (MalformedPolicyException e) {
      throw new fr.coffre.core.MalformedPolicyException(e.getMessage());
    }
  }

  // ------------------------------------------------------------------ tenants

  public List<TenantRecord> tenants() {
    return store.tenants();
  }

  private Predicate<String> reserved = name -> false;

  /**
   * Names a new tenant may not take: those of deleted tenants whose audit trail is still kept, so
   * that a newcomer never exports a predecessor's records.
   */
  public IdentityService reserving(Predicate<String> names) {
    this.reserved = names;
    return this;
  }

  public TenantRecord createTenant(String name, Quota quota) {
    TenantRecord.validName(name);
    if (store.tenant(name).isPresent()) {
      throw new IdentityException(
          IdentityException.Reason.TENANT_EXISTS, "tenant " + name + " already exists");
    }
    if (reserved.test(name)) {
      throw new IdentityException(
          IdentityException.Reason.TENANT_EXISTS,
          "the name "
              + name
              + " belonged to a deleted"
              + " tenant whose audit trail is still kept (retention); choose another name");
    }
    Quota q = quota == null ? Quota.NONE : quota;
    for (int attempt = 0; ; attempt++) {
      TenantRecord t = new TenantRecord(name, accountId(), clock.instant(), q);
      try {
        store.createTenant(t);
        changed();
        return t;
      } catch (IdentityException e) {
        // A random account id may collide with an existing one; a name clash is final.
        if (attempt > 5 || store.tenant(name).isPresent()) {
          throw e;
        }
      }
    }
  }

  private String accountId() {
    StringBuilder b = new StringBuilder(12);
    b.append((char) ('1' + random.nextInt(9)));
    for (int i = 1; i < 12; i++) {
      b.append((char) ('0' + random.nextInt(10)));
    }
    return b.toString();
  }

  public void setTenantQuota(String tenant, Quota quota) {
    store.setTenantQuota(tenant, quota == null ? Quota.NONE : quota);
    changed();
  }

  public void deleteTenant(String tenant) {
    store.deleteTenant(tenant);
    changed();
  }

  public Usage tenantUsage(String tenant) {
    tenant(tenant);
    return store.tenantUsage(tenant);
  }

  // ------------------------------------------------------------------ users and policies

  public UserRecord createUser(String tenant, String name) {
    UserRecord u =
        new UserRecord(
            TenantRecord.validName(tenant), UserRecord.validName(name), clock.instant(), true);
    store.createUser(u);
    changed();
    return u;
  }

  public List<UserRecord> users(String tenant) {
    tenant(tenant);
    return store.users(tenant);
  }

  public UserRecord user(String tenant, String name) {
    return store
        .user(tenant, name)
        .orElseThrow(
            () ->
                new IdentityException(
                    IdentityException.Reason.NO_SUCH_USER,
                    "no user " + name + " in tenant " + tenant));
  }

  public void setUserEnabled(String tenant, String name, boolean enabled) {
    store.setUserEnabled(tenant, name, enabled);
    changed();
  }

  public void deleteUser(String tenant, String name) {
    store.deleteUser(tenant, name);
    changed();
  }

  /**
   * Attaches (or replaces) a named identity policy; MalformedPolicyException says what is wrong.
   */
  public void putUserPolicy(String tenant, String user, String name, String document) {
    if (name == null || !name.matches("[A-Za-z0-9+=,.@_-]{1,128}")) {
      throw new InvalidArgumentException(
          "policy name must be 1 to 128 letters, digits or +=,.@_- : " + name);
    }
    parse(document, PolicyKind.IDENTITY);
    store.putUserPolicy(tenant, user, name, document);
    changed();
  }

  public Map<String, String> userPolicies(String tenant, String user) {
    user(tenant, user);
    return store.userPolicies(tenant, user);
  }

  public void deleteUserPolicy(String tenant, String user, String name) {
    store.deleteUserPolicy(tenant, user, name);
    changed();
  }

  // ------------------------------------------------------------------ access keys

  public NewAccessKey createAccessKey(String tenant, String user) {
    user(tenant, user);
    String id = "CF" + random(KEY_ALPHABET, 18);
    String secret = random(SECRET_ALPHABET, 40);
    byte[] sealed;
    try {
      sealed = rootKey.wrap(secret.getBytes(StandardCharsets.UTF_8), context(id));
    } catch (GeneralSecurityException e) {
      throw new SealedException();
    }
    store.createAccessKey(new AccessKeyRecord(id, tenant, user, sealed, true, clock.instant()));
    changed();
    return new NewAccessKey(id, secret, tenant, user);
  }

  /** A tenant's access keys (a user's when {@code user} is set), without their secrets. */
  public List<AccessKeyRecord> accessKeys(String tenant, String user) {
    tenant(tenant);
    return store.accessKeys(tenant, user);
  }

  /** The tenant an access key id belongs to (enabled or not), if it exists. */
  public Optional<String> tenantOfAccessKey(String id) {
    if (id == null) {
      return Optional.empty();
    }
    if (id.equals(rootAccessKey)) {
      return Optional.of(TenantRecord.DEFAULT);
    }
    return store.accessKey(id).map(AccessKeyRecord::tenant);
  }

  public AccessKeyRecord accessKey(String id) {
    return store
        .accessKey(id)
        .orElseThrow(
            () ->
                new IdentityException(
                    IdentityException.Reason.NO_SUCH_ACCESS_KEY, "no access key " + id));
  }

  public void setAccessKeyEnabled(String id, boolean enabled) {
    store.setAccessKeyEnabled(id, enabled);
    changed();
  }

  public void deleteAccessKey(String id) {
    store.deleteAccessKey(id);
    changed();
  }

  private String unseal(AccessKeyRecord k) {
    try {
      return new String(
          rootKey.unwrap(k.sealedSecret(), context(k.accessKeyId())), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new CorruptDataException(
          "the sealed secret of access key "
              + k.accessKeyId()
              + " does not open with this root key",
          e);
    }
  }

  /** The associated data an access key's secret is sealed under the root key with. */
  public static byte[] secretContext(String accessKeyId) {
    return context(accessKeyId);
  }

  private static byte[] context(String accessKeyId) {
    return ("coffre access key v1|" + accessKeyId).getBytes(StandardCharsets.UTF_8);
  }

  private String random(String alphabet, int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
