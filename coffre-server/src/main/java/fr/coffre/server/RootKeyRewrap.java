package fr.coffre.server;

import fr.coffre.core.AccessKeyRecord;
import fr.coffre.core.KmsKeyVersion;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.OperatorRecord;
import fr.coffre.core.SessionCredentialRecord;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.UploadRecord;
import fr.coffre.crypto.DataKey;
import fr.coffre.crypto.KmsMaterial;
import fr.coffre.crypto.ObjectCrypto;
import fr.coffre.crypto.RootKey;
import fr.coffre.crypto.RootKeyRing;
import fr.coffre.crypto.SigningKey;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.service.IdentityService;
import fr.coffre.service.Operators;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The second half of a root key rotation: every value the retired root keys wrapped, wrapped again
 * by the current key, in batches. Resumable by construction: each batch asks for what is still
 * under a retired key (rows whose key reference or root key id is a retired id; for sealed secrets
 * that record no key id, what the current key does not open), so an interrupted pass continues
 * where it stopped and a finished one finds nothing. Each row is replaced by a compare-and-set on
 * its old value.
 *
 * <p>What it covers (docs/key-custody.md): SSE-S3 data keys of every version, multipart uploads in
 * progress, every KMS key version's material, the metadata sealing key, access-key secrets,
 * operators' TOTP secrets, the sealed root credentials and the audit signing key. Blob headers are
 * not rewritten: reads take the data key from the metadata row, the header's copy is advisory
 * (docs/on-disk-format.md).
 */
final class RootKeyRewrap {

  /** Told after each batch: what was re-wrapped, and how many rows. */
  @FunctionalInterface
  interface Progress {
    void batch(String what, int rewrapped);
  }

  private final MetadataStore metadata;
  private final RootKeyRing ring;
  private final ObjectCrypto crypto;
  private final int batchSize;
  private final Progress progress;
  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private int batchesLeft;
  private final boolean online;
  private int stalls;

  /**
   * @param maxBatches stop after this many batches (the rest is left for the next run); 0 for no
   *     limit
   */
  RootKeyRewrap(
      MetadataStore metadata, RootKeyRing ring, int batchSize, int maxBatches, Progress progress) {
    this(metadata, ring, ring, false, batchSize, maxBatches, progress);
  }

  /**
   * @param unwrapping the key data keys are unwrapped and wrapped through: the ring offline, the
   *     server's switchable key online (it also opens what a writer wrapped across the switch)
   * @param online whether requests write meanwhile: a batch whose rows all changed under it is then
   *     listed again (a few times) instead of stopping the pass
   */
  RootKeyRewrap(
      MetadataStore metadata,
      RootKeyRing ring,
      RootKey unwrapping,
      boolean online,
      int batchSize,
      int maxBatches,
      Progress progress) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
    }
    this.metadata = metadata;
    this.ring = ring;
    this.crypto = new ObjectCrypto(unwrapping);
    this.online = online;
    this.batchSize = batchSize;
    this.batchesLeft = maxBatches <= 0 ? Integer.MAX_VALUE : maxBatches;
    this.progress = progress;
  }

  /** Rows re-wrapped so far, by kind. */
  Map<String, Integer> counts() {
    return Map.copyOf(counts);
  }

  /**
   * Runs the pass; true when nothing is left under a retired key, false when the batch limit
   * stopped it first.
   */
  boolean run(Path keysDir) throws IOException, GeneralSecurityException {
    for (String old : ring.retiredIds()) {
      if (!objects(old) || !uploads(old) || !kmsVersions(old) || !sealingKey(old)) {
        return false;
      }
    }
    return accessKeys() && sessionCredentials() && operators() && files(keysDir);
  }

  /** Whether any row still refers to a retired key (after a complete pass: none). */
  boolean anyLeft() {
    for (String old : ring.retiredIds()) {
      if (metadata.countObjectsWithKeyRef(old) > 0
          || !metadata.uploadsWithKeyRef(old, 1).isEmpty()
          || !metadata.kmsKeyVersionsWrappedBy(old, 1).isEmpty()
          || metadata.sealingKey().filter(k -> k.rootKeyId().equals(old)).isPresent()) {
        return true;
      }
    }
    return false;
  }

  private boolean take(String what, int n) {
    counts.merge(what, n, Integer::sum);
    progress.batch(what, n);
    return --batchesLeft > 0;
  }

  private boolean mayStart() {
    return batchesLeft > 0;
  }

  private boolean objects(String old) {
    while (mayStart()) {
      List<ObjectRecord> batch = metadata.objectsWithKeyRef(old, batchSize);
      if (batch.isEmpty()) {
        return true;
      }
      int n = 0;
      for (ObjectRecord o : batch) {
        try (DataKey k = crypto.rewrapUnderRoot(o.keyRef(), o.wrappedKey())) {
          if (metadata.rewrapObject(o, k.keyRef(), k.wrapped())) {
            n++;
          }
        }
      }
      requireProgress("object versions", batch.size(), n);
      if (!take("objects", n)) {
        return metadata.objectsWithKeyRef(old, 1).isEmpty();
      }
    }
    return metadata.objectsWithKeyRef(old, 1).isEmpty();
  }

  private boolean uploads(String old) {
    while (mayStart()) {
      List<UploadRecord> batch = metadata.uploadsWithKeyRef(old, batchSize);
      if (batch.isEmpty()) {
        return true;
      }
      int n = 0;
      for (UploadRecord u : batch) {
        try (DataKey k = crypto.rewrapUnderRoot(u.keyRef(), u.wrappedKey())) {
          if (metadata.rewrapUpload(u, k.keyRef(), k.wrapped())) {
            n++;
          }
        }
      }
      requireProgress("multipart uploads", batch.size(), n);
      if (!take("uploads", n)) {
        return metadata.uploadsWithKeyRef(old, 1).isEmpty();
      }
    }
    return metadata.uploadsWithKeyRef(old, 1).isEmpty();
  }

  private boolean kmsVersions(String old) {
    while (mayStart()) {
      List<KmsKeyVersion> batch = metadata.kmsKeyVersionsWrappedBy(old, batchSize);
      if (batch.isEmpty()) {
        return true;
      }
      int n = 0;
      for (KmsKeyVersion v : batch) {
        if (metadata.rewrapKmsKeyVersion(v, KmsMaterial.rewrap(ring, v))) {
          n++;
        }
      }
      requireProgress("KMS key versions", batch.size(), n);
      if (!take("kmsKeyVersions", n)) {
        return metadata.kmsKeyVersionsWrappedBy(old, 1).isEmpty();
      }
    }
    return metadata.kmsKeyVersionsWrappedBy(old, 1).isEmpty();
  }

  /** The key that seals ETags and checksums in the rows (one row). */
  private boolean sealingKey(String old) {
    if (!mayStart()) {
      return false;
    }
    var stored = metadata.sealingKey().filter(k -> k.rootKeyId().equals(old));
    if (stored.isEmpty()) {
      return true;
    }
    boolean done = metadata.rewrapSealingKey(stored.get(), KmsMaterial.rewrap(ring, stored.get()));
    if (!done) {
      throw new IllegalStateException("the metadata sealing key could not be re-wrapped");
    }
    return take("sealingKey", 1);
  }

  /**
   * Offline nothing else writes: a batch that moved nothing would loop for ever. Online, writers
   * may have changed every row of a batch: it is listed again, up to a limit.
   */
  private void requireProgress(String what, int listed, int moved) {
    if (listed > 0 && moved == 0 && online && ++stalls <= 50) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("the re-wrap pass was interrupted", e);
      }
      return;
    }
    if (moved > 0) {
      stalls = 0;
    }
    if (listed > 0 && moved == 0) {
      throw new IllegalStateException(
          "none of " + listed + " " + what + " could be re-wrapped (changed meanwhile?)");
    }
  }

  private boolean accessKeys() throws GeneralSecurityException {
    if (!mayStart()) {
      return false;
    }
    int n = 0;
    for (TenantRecord t : metadata.tenants()) {
      for (AccessKeyRecord k : metadata.accessKeys(t.name(), null)) {
        byte[] sealed =
            ring.rewrap(k.sealedSecret(), IdentityService.secretContext(k.accessKeyId()));
        if (sealed != null && metadata.resealAccessKey(k.accessKeyId(), k.sealedSecret(), sealed)) {
          n++;
        }
      }
    }
    counts.merge("accessKeys", n, Integer::sum);
    progress.batch("accessKeys", n);
    return true;
  }

  /** The secrets of STS temporary credentials (live or expired), a page at a time. */
  private boolean sessionCredentials() throws GeneralSecurityException {
    int n = 0;
    String after = "";
    while (true) {
      List<SessionCredentialRecord> page = metadata.roles().sessionCredentials(after, batchSize);
      for (SessionCredentialRecord k : page) {
        byte[] sealed =
            ring.rewrap(k.sealedSecret(), IdentityService.sessionContext(k.accessKeyId()));
        if (sealed != null
            && metadata
                .roles()
                .resealSessionCredential(k.accessKeyId(), k.sealedSecret(), sealed)) {
          n++;
        }
        after = k.accessKeyId();
      }
      if (page.size() < batchSize) {
        break;
      }
    }
    counts.merge("sessionCredentials", n, Integer::sum);
    progress.batch("sessionCredentials", n);
    return true;
  }

  private boolean operators() throws GeneralSecurityException {
    int n = 0;
    for (OperatorRecord o : metadata.governance().operators()) {
      byte[] sealed = ring.rewrap(o.sealedTotpSecret(), Operators.totpContext(o.name()));
      if (sealed != null
          && metadata.governance().resealOperatorTotp(o.name(), o.sealedTotpSecret(), sealed)) {
        n++;
      }
    }
    counts.merge("operators", n, Integer::sum);
    progress.batch("operators", n);
    return true;
  }

  private boolean files(Path keysDir) throws IOException, GeneralSecurityException {
    int n = RootCredentials.rewrap(keysDir, ring) ? 1 : 0;
    n += SigningKey.rewrap(keysDir, ring) ? 1 : 0;
    counts.merge("files", n, Integer::sum);
    progress.batch("files", n);
    return true;
  }
}
