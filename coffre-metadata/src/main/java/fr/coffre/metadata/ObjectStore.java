package fr.coffre.metadata;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.BlobId;
import fr.coffre.core.BucketName;
import fr.coffre.core.DeleteMarker;
import fr.coffre.core.DeleteMarkerException;
import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.LockState;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.NoSuchVersionException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectLockException;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.ObjectVersion;
import fr.coffre.core.PreconditionFailedException;
import fr.coffre.core.QuotaExceededException;
import fr.coffre.core.StorageFailureException;
import fr.coffre.core.VersionPage;
import fr.coffre.core.VersionQuery;
import fr.coffre.core.WriteCondition;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The versions of each object, as rows. A key's <em>current object</em> is its latest version when
 * that is not a delete marker; listings of current objects read only those. Every mutating method
 * is one transaction that is durable (synced) when it returns; {@link #putObject} is the atomic
 * switch that makes a new version visible: readers see the old record or the new one, never a mix.
 *
 * <p>What a write or a delete does depends on the bucket's versioning state, read in the same
 * transaction: unversioned, a write replaces the key's object; enabled, it adds a version with a
 * new id and a delete adds a delete marker; suspended, both replace the key's {@code null} version
 * and keep the others. Removing a version that Object Lock protects is refused inside the
 * transaction that would remove it.
 *
 * <p>Errors are {@link NoSuchBucketException}, {@link PreconditionFailedException}, {@link
 * QuotaExceededException}, {@link NoSuchVersionException}, {@link DeleteMarkerException} and {@link
 * ObjectLockException}; failures of the database itself are {@link StorageFailureException}.
 */
public interface ObjectStore {

  /** What a put stored and what it replaced (whose blobs the caller may now reclaim). */
  record Written(ObjectRecord stored, Optional<ObjectRecord> replaced) {}

  /**
   * What a delete did: the version it removed (an object whose blobs the caller may now reclaim, or
   * a delete marker), and the delete marker it added.
   */
  record Removal(Optional<ObjectVersion> removed, Optional<DeleteMarker> marker) {
    public static final Removal NOTHING = new Removal(Optional.empty(), Optional.empty());
  }

  /** The current object of a key; NoSuchBucketException if the bucket does not exist. */
  Optional<ObjectRecord> object(BucketName bucket, ObjectKey key);

  /** The latest version of a key: its current object, or a delete marker. */
  Optional<ObjectVersion> latest(BucketName bucket, ObjectKey key);

  /** One version of a key by id ({@code null} for the null version), if it exists. */
  Optional<ObjectVersion> version(BucketName bucket, ObjectKey key, String versionId);

  /**
   * Writes {@code record} as the latest version of its key, if {@code condition} holds against the
   * current object (checked in the same transaction; PreconditionFailedException otherwise) and the
   * bucket's and tenant's quotas allow it (QuotaExceededException otherwise). The record's version
   * id is replaced by a new one if the bucket is versioned, by {@code null} otherwise.
   */
  Written putObject(ObjectRecord record, WriteCondition condition);

  /**
   * Replaces the sealed attributes of {@code version} (e.g. new tags), if that version still exists
   * with the same content blobs. Content, size, ETag and date stay as they are.
   *
   * @return false if the version is gone or was replaced; the caller reads again
   */
  boolean replaceAttributes(ObjectRecord version, byte[] sealedAttributes);

  /**
   * Deletes a key without naming a version: removes its object if the bucket is unversioned, adds a
   * delete marker made at {@code now} if it is versioned (replacing the {@code null} version if
   * versioning is suspended).
   */
  Removal deleteObject(BucketName bucket, ObjectKey key, Instant now);

  /**
   * Removes one version of a key for good (an object or a delete marker); if it was the latest, the
   * next newest becomes latest. Refused with ObjectLockException if a legal hold or a retention in
   * force at {@code now} protects it (a GOVERNANCE one gives way if {@code bypassGovernance}).
   * Removing a version that does not exist removes nothing.
   */
  Removal deleteVersion(
      BucketName bucket, ObjectKey key, String versionId, Instant now, boolean bypassGovernance);

  /**
   * Changes the lock state of a version: {@code change} sees the current state (in the transaction,
   * the row locked) and returns the new one, or throws to refuse. NoSuchVersionException if there
   * is no such version, DeleteMarkerException if it is a delete marker.
   *
   * @return the new state
   */
  LockState changeLock(
      BucketName bucket, ObjectKey key, String versionId, UnaryOperator<LockState> change);

  /**
   * Sets (or with null resets to the default) the access control list of one version with content.
   *
   * @return false if there is no such version, or it is a delete marker
   */
  boolean setAcl(
      BucketName bucket, ObjectKey key, String versionId, @Nullable AccessControlList acl);

  /**
   * One page of a bucket's current objects. Its cost follows the size of the page, not of the
   * bucket nor of the number of old versions: each common prefix is skipped with one index seek.
   */
  ListPage list(BucketName bucket, ListQuery query);

  /** One page of a bucket's versions and delete markers, keys in order, newest first. */
  VersionPage listVersions(BucketName bucket, VersionQuery query);

  /** Calls {@code visitor} with every blob that a version or an upload's part references. */
  void forEachReferencedBlob(Consumer<BlobId> visitor);
}
