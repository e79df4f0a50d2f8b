package fr.coffre.service;

import fr.coffre.core.ErasureCertificate;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.KeyUsage;
import fr.coffre.core.KmsKeyException;
import fr.coffre.core.KmsKeyException.Reason;
import fr.coffre.core.KmsKeyRecord;
import fr.coffre.core.KmsKeyState;
import fr.coffre.core.KmsKeyVersion;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.SignedCertificate;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.UploadRecord;
import fr.coffre.crypto.DataKey;
import fr.coffre.crypto.KekResolver;
import fr.coffre.crypto.KeyEncryptionKey;
import fr.coffre.crypto.KeyRef;
import fr.coffre.crypto.KmsMaterial;
import fr.coffre.crypto.ObjectCrypto;
import fr.coffre.crypto.RootKey;
import fr.coffre.crypto.SigningKey;
import fr.coffre.metadata.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KMS keys, the middle of the key hierarchy: create, enable, disable, rotate, re-wrap, schedule
 * deletion and destroy (crypto-shredding, with a signed erasure certificate). It also answers the
 * object layer's questions "which key version encrypts this write" and, as the {@link KekResolver},
 * "may this key version decrypt now" — a key's state is read on every use, so disabling it takes
 * effect on the next request.
 *
 * <p><b>Why it owns the object crypto.</b> The object layer unwraps KMS-wrapped data keys through
 * this service (the {@link KekResolver}), and this service re-wraps data keys (rotation, rewrap)
 * through the object crypto: the two are made together in the constructor so neither exists half
 * built.
 *
 * <p><b>Crypto-shredding and the cache.</b> Opened key-encryption keys are cached by key id and
 * version, but only after the key's state has been checked for that use; a destroyed key's cached
 * material is wiped ({@link KeyEncryptionKey#destroy}) in the same call that deletes it from the
 * metadata (with SQLite's secure_delete and a WAL checkpoint), and a disabled key fails the state
 * check before the cache is consulted. What breaks if you change it: caching the state, or checking
 * it after the cache, lets a disabled or destroyed key keep decrypting until the process restarts.
 * Destruction is refused while a bucket's default encryption still names the key, since every write
 * to that bucket would then fail.
 */
public final class KeyService implements KekResolver {
  private static final Logger LOG = LoggerFactory.getLogger(KeyService.class);

  /** AWS's bounds on a deletion's waiting period. */
  public static final int MIN_PENDING_DAYS = 7;

  public static final int MAX_PENDING_DAYS = 30;
  private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9/_-]{1,250}");
  private static final Pattern UUID_FORM =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final MetadataStore metadata;
  private final RootKey root;
  private final Supplier<SigningKey> signing;
  private final Clock clock;
  private final String region;

  /** Key id to ARN: a key's tenant, hence its account id, never changes. */
  private final Map<String, String> arns = new ConcurrentHashMap<>();

  private final Map<String, KeyEncryptionKey> opened = new ConcurrentHashMap<>();
  private final ObjectCrypto crypto;
  private final DestructionGuards guards;

  /**
   * @param signing the server's signing key, asked for only when a certificate is issued
   * @param region the region named in keys' ARNs ({@code arn:aws:kms:REGION:ACCOUNT:key/ID}, where
   *     ACCOUNT is the key's tenant's account id)
   */
  public KeyService(
      MetadataStore metadata,
      RootKey root,
      Supplier<SigningKey> signing,
      Clock clock,
      String region) {
    this.metadata = metadata;
    this.root = root;
    this.signing = signing;
    this.clock = clock;
    this.region = region;
    // The object crypto resolves KMS-wrapped data keys through this service; the service re-wraps
    // data keys through it. Made here, so no half-built pair ever exists.
    this.crypto = new ObjectCrypto(root, this);
    this.guards = new DestructionGuards(metadata, clock, ref -> find(ref).id());
  }

  private volatile ServiceObserver observer = ServiceObserver.NONE;

  /** Tells {@code observer} of every KMS operation that succeeds. */
  public KeyService observedBy(ServiceObserver observer) {
    this.observer = observer;
    return this;
  }

  private <T> T counted(String operation, T result) {
    observer.kmsOperation(operation);
    return result;
  }

  /** The object crypto over the root key, resolving KMS-wrapped data keys through this service. */
  public ObjectCrypto crypto() {
    return crypto;
  }

  /** The ARN of a key, in its tenant's account: {@code arn:aws:kms:REGION:ACCOUNT:key/ID}. */
  public String arn(String keyId) {
    String known = arns.get(keyId);
    if (known != null) {
      return known;
    }
    Optional<KmsKeyRecord> key = metadata.kmsKey(keyId, false);
    String account =
        key.flatMap(k -> metadata.tenant(k.tenant()))
            .map(TenantRecord::accountId)
            .orElse(TenantRecord.DEFAULT_ACCOUNT);
    String arn = "arn:aws:kms:" + region + ":" + account + ":key/" + keyId;
    if (key.isPresent()) {
      arns.put(keyId, arn);
    }
    return arn;
  }

  // ---- lifecycle -------------------------------------------------------------------------

  public KmsKeyInfo create(String alias, String description) {
    return create(alias, description, TenantRecord.DEFAULT);
  }

  /** Creates an enabled key owned by {@code tenant} (aliases are global, like bucket names). */
  public KmsKeyInfo create(String alias, String description, String tenant) {
    String a = normalizeAlias(alias);
    if (a != null && metadata.kmsKey(a, true).isPresent()) {
      throw new InvalidArgumentException("alias/" + a + " already names a key");
    }
    String id = UUID.randomUUID().toString();
    Instant now = clock.instant();
    KmsKeyRecord key =
        new KmsKeyRecord(id, a, description, KmsKeyState.ENABLED, now, 1, null, null, null, tenant);
    metadata.createKmsKey(key, KmsMaterial.generate(root, id, 1, now));
    LOG.info("KMS key {} created{}", id, a == null ? "" : " as alias/" + a);
    return counted("create", describe(id));
  }

  public List<KmsKeyInfo> list() {
    List<KmsKeyInfo> out = new ArrayList<>();
    for (KmsKeyRecord k : metadata.kmsKeys()) {
      out.add(info(k));
    }
    return out;
  }

  public KmsKeyInfo describe(String ref) {
    return info(find(ref));
  }

  public KmsKeyInfo enable(String ref) {
    KmsKeyRecord k = find(ref);
    requireNot(k, KmsKeyState.DESTROYED, KmsKeyState.PENDING_DELETION);
    metadata.updateKmsKey(k.withState(KmsKeyState.ENABLED, null));
    return counted("enable", describe(k.id()));
  }

  public KmsKeyInfo disable(String ref) {
    KmsKeyRecord k = find(ref);
    requireNot(k, KmsKeyState.DESTROYED, KmsKeyState.PENDING_DELETION);
    metadata.updateKmsKey(k.withState(KmsKeyState.DISABLED, null));
    return counted("disable", describe(k.id()));
  }

  /** Schedules destruction after {@code days} (7 to 30); the key is unusable meanwhile. */
  public KmsKeyInfo scheduleDeletion(String ref, int days) {
    if (days < MIN_PENDING_DAYS || days > MAX_PENDING_DAYS) {
      throw new InvalidArgumentException(
          "the waiting period must be between "
              + MIN_PENDING_DAYS
              + " and "
              + MAX_PENDING_DAYS
              + " days, not "
              + days);
    }
    KmsKeyRecord k = find(ref);
    requireNot(k, KmsKeyState.DESTROYED, KmsKeyState.PENDING_DELETION);
    guards.requireNoBucketDefault(k);
    guards.requireNoLockedVersion(k);
    metadata.updateKmsKey(
        k.withState(KmsKeyState.PENDING_DELETION, clock.instant().plus(Duration.ofDays(days))));
    LOG.warn("KMS key {} scheduled for destruction in {} days", k.id(), days);
    return counted("schedule-deletion", describe(k.id()));
  }

  /** Cancels a scheduled deletion; as in AWS KMS the key comes back disabled. */
  public KmsKeyInfo cancelDeletion(String ref) {
    KmsKeyRecord k = find(ref);
    if (k.state() == KmsKeyState.ENABLED || k.state() == KmsKeyState.DISABLED) {
      throw new InvalidArgumentException(
          "key " + k.id() + " is " + k.state() + ", not pending deletion");
    }
    if (k.state() != KmsKeyState.PENDING_DELETION) {
      throw new KmsKeyException(stateReason(k), k.id());
    }
    metadata.updateKmsKey(k.withState(KmsKeyState.DISABLED, null));
    return counted("cancel-deletion", describe(k.id()));
  }

  /**
   * A new version of the material: new objects use it, older versions still open what they wrapped.
   */
  public KmsKeyInfo rotate(String ref) {
    KmsKeyRecord k = find(ref);
    requireUsable(k);
    int next = k.currentVersion() + 1;
    KmsKeyRecord rotated =
        new KmsKeyRecord(
            k.id(),
            k.alias(),
            k.description(),
            k.state(),
            k.created(),
            next,
            k.deletionDate(),
            k.destroyed(),
            k.certificate(),
            k.tenant());
    metadata.rotateKmsKey(rotated, KmsMaterial.generate(root, k.id(), next, clock.instant()));
    LOG.info("KMS key {} rotated to version {}", k.id(), next);
    return counted("rotate", describe(k.id()));
  }

  /**
   * Moves every data key wrapped by an older version of this key to the current version, without
   * touching content: only the wrapped data keys in the metadata change. Returns how many objects
   * and uploads were re-wrapped.
   */
  public long rewrap(String ref) {
    KmsKeyRecord k = find(ref);
    requireUsable(k);
    KeyEncryptionKey target = open(k.id(), k.currentVersion());
    long moved = 0;
    for (int v = 1; v < k.currentVersion(); v++) {
      String oldRef = new KeyRef.Kms(k.id(), v).text();
      List<ObjectRecord> batch;
      while (!(batch = metadata.objectsWithKeyRef(oldRef, 500)).isEmpty()) {
        int changed = 0;
        for (ObjectRecord o : batch) {
          try (DataKey moved1 = crypto.rewrap(o.keyRef(), o.wrappedKey(), target)) {
            if (metadata.rewrapObject(o, moved1.keyRef(), moved1.wrapped())) {
              changed++;
            }
          }
        }
        moved += changed;
        if (changed == 0) {
          break; // rows changed under us; a later run picks them up
        }
      }
      List<UploadRecord> uploads;
      while (!(uploads = metadata.uploadsWithKeyRef(oldRef, 500)).isEmpty()) {
        int changed = 0;
        for (UploadRecord u : uploads) {
          try (DataKey moved1 = crypto.rewrap(u.keyRef(), u.wrappedKey(), target)) {
            if (metadata.rewrapUpload(u, moved1.keyRef(), moved1.wrapped())) {
              changed++;
            }
          }
        }
        moved += changed;
        if (changed == 0) {
          break;
        }
      }
    }
    LOG.info(
        "KMS key {}: {} data keys re-wrapped to version {}", k.id(), moved, k.currentVersion());
    observer.kmsOperation("rewrap");
    return moved;
  }

  /**
   * Destroys a key's material: everything it protected becomes unreadable for good. Allowed for a
   * key pending deletion whose waiting period is over, or at once with {@code override} (which is
   * stated in the certificate). Returns the signed erasure certificate.
   */
  public SignedCertificate destroy(
      String ref, boolean override, String reason, String actor, String from) {
    KmsKeyRecord k = find(ref);
    if (k.state() == KmsKeyState.DESTROYED) {
      throw new KmsKeyException(Reason.DESTROYED, k.id());
    }
    Instant now = clock.instant();
    boolean due = k.state() == KmsKeyState.PENDING_DELETION && !now.isBefore(k.deletionDate());
    if (!due && !override) {
      throw new InvalidArgumentException(
          "key "
              + k.id()
              + " is "
              + k.state()
              + (k.deletionDate() == null ? "" : " until " + k.deletionDate())
              + "; schedule its deletion and wait, or destroy it now with an explicit override");
    }
    guards.requireNoBucketDefault(k);
    guards.requireNoLockedVersion(k);
    KeyUsage usage = metadata.keyUsage(KeyRef.Kms.prefixOf(k.id()));
    // The list of the versions it covers, kept, and its digest signed in the certificate.
    byte[] covered =
        fr.coffre.core.ErasureCoverage.document(
            metadata.versionsUnderKeyRef(KeyRef.Kms.prefixOf(k.id())));
    int versions = metadata.kmsKeyVersions(k.id()).size();
    ErasureCertificate cert =
        new ErasureCertificate(
            ErasureCertificate.FORMAT,
            k.id(),
            k.alias(),
            k.created().toString(),
            now.toString(),
            actor,
            from,
            clean(reason),
            !due,
            k.deletionDate() == null ? null : k.deletionDate().toString(),
            versions,
            fr.coffre.core.ErasureCoverage.count(covered),
            usage.bytes(),
            usage.uploads(),
            root.id(),
            fr.coffre.core.ErasureCoverage.digest(covered));
    SigningKey signer = signing.get();
    SignedCertificate signed =
        new SignedCertificate(
            cert,
            SigningKey.ALGORITHM,
            signer.publicKeyBase64(),
            Base64.getEncoder().encodeToString(signer.sign(cert.canonicalBytes())));
    KmsKeyRecord destroyed =
        new KmsKeyRecord(
            k.id(),
            k.alias(),
            k.description(),
            KmsKeyState.DESTROYED,
            k.created(),
            k.currentVersion(),
            k.deletionDate(),
            now,
            Certificates.toJson(signed),
            k.tenant());
    metadata.saveErasureCoverage(k.id(), covered);
    metadata.destroyKmsKey(destroyed);
    opened
        .entrySet()
        .removeIf(
            e -> {
              if (e.getKey().startsWith(k.id() + ":")) {
                e.getValue().destroy();
                return true;
              }
              return false;
            });
    LOG.warn(
        "KMS key {} DESTROYED by {} ({}): {} objects, {} bytes are now unrecoverable",
        k.id(),
        actor,
        due ? "waiting period over" : "override",
        usage.objects(),
        usage.bytes());
    return counted("destroy", signed);
  }

  /** Destroys every key whose waiting period is over; returns how many. */
  public int destroyDue() {
    int n = 0;
    Instant now = clock.instant();
    for (KmsKeyRecord k : metadata.kmsKeys()) {
      if (k.state() == KmsKeyState.PENDING_DELETION && !now.isBefore(k.deletionDate())) {
        try {
          destroy(k.id(), false, "waiting period ended", "coffre (scheduled deletion)", "server");
          n++;
        } catch (InvalidArgumentException e) {
          LOG.warn("KMS key {} stays pending deletion: {}", k.id(), e.getMessage());
        }
      }
    }
    return n;
  }

  /**
   * The list of the versions a destroyed key's certificate covers ({@link
   * fr.coffre.core.ErasureCoverage}); empty for a key not destroyed, or destroyed before format 2.
   */
  public Optional<byte[]> erasureCoverage(String ref) {
    KmsKeyRecord k = find(ref);
    return k.state() == KmsKeyState.DESTROYED ? metadata.erasureCoverage(k.id()) : Optional.empty();
  }

  /** The erasure certificate of a destroyed key. */
  public Optional<String> certificate(String ref) {
    return Optional.ofNullable(find(ref).certificate());
  }

  public String signingPublicKeyPem() {
    return signing.get().publicKeyPem();
  }

  /** The current signing key's PEM, then the retired ones' (docs/key-custody.md). */
  public String signingPublicKeysPem() {
    return signing.get().publishedKeysPem();
  }

  // ---- use by the object layer -----------------------------------------------------------------

  /**
   * The current version of the key named by {@code ref} (id, ARN or alias), which must be enabled.
   */
  public KeyEncryptionKey forEncrypt(String ref) {
    KmsKeyRecord k = find(ref);
    requireUsable(k);
    return counted("encrypt", open(k.id(), k.currentVersion()));
  }

  /** The alias of the key that SSE-KMS uses when a write names none (AWS's {@code aws/s3}). */
  public static final String MANAGED_ALIAS = "coffre/s3-managed";

  /**
   * The id of the default tenant's server-managed S3 key, created the first time a write needs it.
   */
  public String managedKey() {
    return managedKey(TenantRecord.DEFAULT);
  }

  /**
   * The id of a tenant's server-managed S3 key, created the first time a write needs it: {@code
   * alias/coffre/s3-managed} for the default tenant, {@code alias/coffre/s3-managed/TENANT} for
   * others.
   */
  public synchronized String managedKey(String tenant) {
    String alias =
        TenantRecord.DEFAULT.equals(tenant) ? MANAGED_ALIAS : MANAGED_ALIAS + "/" + tenant;
    return metadata
        .kmsKey(alias, true)
        .map(KmsKeyRecord::id)
        .orElseGet(
            () ->
                create(alias, "default SSE-KMS key, for writes that name none", tenant).key().id());
  }

  /**
   * The key {@code ref} names, if {@code tenant} owns it; another tenant's key is answered as not
   * found, so its existence does not leak.
   */
  public String resolveFor(String ref, String tenant) {
    KmsKeyRecord k = find(ref);
    if (!k.tenant().equals(tenant)) {
      throw new KmsKeyException(Reason.NOT_FOUND, ref);
    }
    return k.id();
  }

  /** The key id that {@code ref} (id, ARN or alias) names; KmsKeyException if none. */
  public String resolve(String ref) {
    return find(ref).id();
  }

  @Override
  public KeyEncryptionKey forDecrypt(String keyId, int version) {
    KmsKeyRecord k =
        metadata
            .kmsKey(keyId, false)
            .orElseThrow(() -> new KmsKeyException(Reason.NOT_FOUND, keyId));
    requireUsable(k);
    return counted("decrypt", open(keyId, version));
  }

  private KeyEncryptionKey open(String keyId, int version) {
    return opened.computeIfAbsent(
        keyId + ":" + version,
        unused -> {
          KmsKeyVersion stored =
              metadata.kmsKeyVersions(keyId).stream()
                  .filter(v -> v.version() == version)
                  .findFirst()
                  .orElseThrow(() -> new KmsKeyException(Reason.DESTROYED, keyId));
          return KmsMaterial.open(root, stored);
        });
  }

  /** Throws the key's state as a KmsKeyException unless it may encrypt and decrypt now. */
  public void checkUsable(String keyId) {
    requireUsable(
        metadata
            .kmsKey(keyId, false)
            .orElseThrow(() -> new KmsKeyException(Reason.NOT_FOUND, keyId)));
  }

  private static void requireUsable(KmsKeyRecord k) {
    if (k.state() != KmsKeyState.ENABLED) {
      throw new KmsKeyException(stateReason(k), k.id());
    }
  }

  private static void requireNot(KmsKeyRecord k, KmsKeyState... forbidden) {
    for (KmsKeyState s : forbidden) {
      if (k.state() == s) {
        throw new KmsKeyException(stateReason(k), k.id());
      }
    }
  }

  private static Reason stateReason(KmsKeyRecord k) {
    return switch (k.state()) {
      case DISABLED -> Reason.DISABLED;
      case PENDING_DELETION -> Reason.PENDING_DELETION;
      case DESTROYED -> Reason.DESTROYED;
      case ENABLED -> throw new IllegalStateException("key " + k.id() + " is enabled");
    };
  }

  /**
   * Finds a key by id, {@code alias/name}, or an ARN ending in {@code key/<id>} or {@code
   * alias/<name>}.
   */
  private KmsKeyRecord find(String ref) {
    if (ref == null || ref.isBlank()) {
      throw new KmsKeyException(Reason.NOT_FOUND, String.valueOf(ref));
    }
    String r = ref.strip();
    if (r.startsWith("arn:")) {
      int key = r.indexOf(":key/");
      int alias = r.indexOf(":alias/");
      if (key >= 0) {
        r = r.substring(key + 5);
      } else if (alias >= 0) {
        r = r.substring(alias + 1);
      }
    }
    Optional<KmsKeyRecord> k;
    if (r.startsWith("alias/")) {
      k = metadata.kmsKey(r.substring(6), true);
    } else if (UUID_FORM.matcher(r).matches()) {
      k = metadata.kmsKey(r, false);
    } else {
      k = Optional.empty();
    }
    return k.orElseThrow(() -> new KmsKeyException(Reason.NOT_FOUND, ref));
  }

  private KmsKeyInfo info(KmsKeyRecord k) {
    List<KmsKeyInfo.Version> versions = new ArrayList<>();
    for (KmsKeyVersion v : metadata.kmsKeyVersions(k.id())) {
      versions.add(new KmsKeyInfo.Version(v.version(), v.created(), v.rootKeyId()));
    }
    KeyUsage all = metadata.keyUsage(KeyRef.Kms.prefixOf(k.id()));
    long current =
        metadata.countObjectsWithKeyRef(new KeyRef.Kms(k.id(), k.currentVersion()).text());
    return new KmsKeyInfo(k, arn(k.id()), versions, all, all.objects() - current);
  }

  private static String normalizeAlias(String alias) {
    if (alias == null || alias.isBlank()) {
      return null;
    }
    String a = alias.startsWith("alias/") ? alias.substring(6) : alias;
    if (!ALIAS.matcher(a).matches() || a.startsWith("aws/")) {
      throw new InvalidArgumentException(
          "an alias is 1 to 250 letters, digits, '/', '_' or '-', and does not start with aws/: "
              + alias);
    }
    return a;
  }

  private static String clean(String reason) {
    if (reason == null) {
      return null;
    }
    String r = reason.replaceAll("\\p{Cntrl}", " ").strip();
    return r.length() > 500 ? r.substring(0, 500) : r;
  }
}
