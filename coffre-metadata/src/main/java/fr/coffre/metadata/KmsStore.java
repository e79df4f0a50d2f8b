package fr.coffre.metadata;

import fr.coffre.core.KeyUsage;
import fr.coffre.core.KmsKeyRecord;
import fr.coffre.core.KmsKeyVersion;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.StorageFailureException;
import fr.coffre.core.UploadRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * KMS keys and their versions (wrapped material), as rows, and the data keys they wrap: which
 * objects and uploads use a key, and their re-wrapping under another. Each mutating method is one
 * transaction, durable (synced) when it returns; a re-wrap is a compare-and-set on the row's
 * current wrapping. Failures of the database itself are {@link StorageFailureException}.
 */
public interface KmsStore {

  /** Records a new KMS key and its first version, in one transaction. */
  void createKmsKey(KmsKeyRecord key, KmsKeyVersion first);

  /** A KMS key by id, or by alias when {@code byAlias}. */
  Optional<KmsKeyRecord> kmsKey(String idOrAlias, boolean byAlias);

  /** Every KMS key, destroyed ones included, oldest first. */
  List<KmsKeyRecord> kmsKeys();

  /** Replaces a key's row (state, dates, current version, certificate). */
  void updateKmsKey(KmsKeyRecord key);

  /** Adds a version and makes it the key's current one, in one transaction. */
  void rotateKmsKey(KmsKeyRecord key, KmsKeyVersion next);

  /** A key's versions, oldest first (none once destroyed). */
  List<KmsKeyVersion> kmsKeyVersions(String keyId);

  /**
   * Destroys a key's material: deletes every version (the database overwrites deleted content) and
   * stores the key's final row, in one transaction; returns how many versions were deleted.
   */
  int destroyKmsKey(KmsKeyRecord destroyed);

  /**
   * Objects, their total bytes, and multipart uploads whose data key reference starts with {@code
   * keyRefPrefix}.
   */
  KeyUsage keyUsage(String keyRefPrefix);

  /** Up to {@code max} objects whose data key reference is exactly {@code keyRef}. */
  List<ObjectRecord> objectsWithKeyRef(String keyRef, int max);

  /** How many objects have exactly {@code keyRef} as their data key reference. */
  long countObjectsWithKeyRef(String keyRef);

  /**
   * How many versions under a key reference starting with {@code keyRefPrefix} Object Lock keeps at
   * {@code now} (a legal hold, or a retention until later): a key that protects one is not
   * destroyed.
   */
  long countLocked(String keyRefPrefix, Instant now);

  /**
   * Replaces an object's wrapped data key if the row still holds {@code current}'s; false
   * otherwise.
   */
  boolean rewrapObject(ObjectRecord current, String keyRef, byte[] wrappedKey);

  /** Up to {@code max} multipart uploads whose data key reference is exactly {@code keyRef}. */
  List<UploadRecord> uploadsWithKeyRef(String keyRef, int max);

  /** Replaces an upload's wrapped data key if it still holds {@code current}'s; false otherwise. */
  boolean rewrapUpload(UploadRecord current, String keyRef, byte[] wrappedKey);

  /**
   * Up to {@code max} KMS key versions (of every key) whose material is wrapped by the root key
   * {@code rootKeyId}: what a root key rotation still has to re-wrap.
   */
  List<KmsKeyVersion> kmsKeyVersionsWrappedBy(String rootKeyId, int max);

  /**
   * Replaces a KMS key version's wrapped material and root key id with {@code rewrapped}'s if the
   * row still holds {@code current}'s; false otherwise (changed, or destroyed meanwhile).
   */
  boolean rewrapKmsKeyVersion(KmsKeyVersion current, KmsKeyVersion rewrapped);

  /**
   * The key that seals metadata values at rest ({@link ValueSealer}), wrapped by a root key, as a
   * {@link KmsKeyVersion} whose key id is the sealing key's id and version is 1; empty before the
   * first server made it.
   */
  Optional<KmsKeyVersion> sealingKey();

  /**
   * The bucket, key and version id of every version with content (current or not) whose data key
   * reference starts with {@code keyRefPrefix}: what an erasure certificate covers.
   */
  List<fr.coffre.core.ErasureCoverage.Entry> versionsUnderKeyRef(String keyRefPrefix);

  /** Keeps the covered-versions document of a key's erasure certificate. */
  void saveErasureCoverage(String keyId, byte[] document);

  /** The covered-versions document saved for a key, if any (certificates of format 2). */
  Optional<byte[]> erasureCoverage(String keyId);

  /**
   * Stores {@code candidate} as the sealing key unless one exists, and returns the one stored: two
   * nodes starting together end up with the same key.
   */
  KmsKeyVersion addSealingKey(KmsKeyVersion candidate);

  /**
   * Replaces the sealing key's wrapping (a root key rotation) if the row still holds {@code
   * current}'s; false otherwise.
   */
  boolean rewrapSealingKey(KmsKeyVersion current, KmsKeyVersion rewrapped);
}
