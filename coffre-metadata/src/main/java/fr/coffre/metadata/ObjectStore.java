package fr.coffre.metadata;

import fr.coffre.core.BlobId;
import fr.coffre.core.BucketName;
import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.PreconditionFailedException;
import fr.coffre.core.QuotaExceededException;
import fr.coffre.core.StorageFailureException;
import fr.coffre.core.WriteCondition;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The current version of each object, as rows. Every mutating method is one transaction that is
 * durable (synced) when it returns; {@link #putObject} is the atomic switch that makes a new object
 * visible: readers see the old record or the new one, never a mix.
 *
 * <p>Errors are {@link NoSuchBucketException}, {@link PreconditionFailedException} and {@link
 * QuotaExceededException}; failures of the database itself are {@link StorageFailureException}.
 */
public interface ObjectStore {

  /** The current record of a key; NoSuchBucketException if the bucket does not exist. */
  Optional<ObjectRecord> object(BucketName bucket, ObjectKey key);

  /**
   * Makes {@code record} the current version of its key, if {@code condition} holds against the
   * current one (checked in the same transaction; PreconditionFailedException otherwise) and the
   * bucket's and tenant's quotas allow it (QuotaExceededException otherwise).
   *
   * @return the record it replaced, whose blobs the caller may now reclaim
   */
  Optional<ObjectRecord> putObject(ObjectRecord record, WriteCondition condition);

  /**
   * Replaces the sealed attributes of {@code current} (e.g. new tags), if it is still the current
   * version of its key: same content blobs. Content, size, ETag and date stay as they are.
   *
   * @return false if the key now has another version or none; the caller reads again
   */
  boolean replaceAttributes(ObjectRecord current, byte[] sealedAttributes);

  /**
   * Removes the current version of a key.
   *
   * @return the removed record, or empty if there was none
   */
  Optional<ObjectRecord> deleteObject(BucketName bucket, ObjectKey key);

  /**
   * One page of a bucket's keys. Its cost follows the size of the page, not of the bucket: each
   * common prefix is skipped with one index seek.
   */
  ListPage list(BucketName bucket, ListQuery query);

  /** Calls {@code visitor} with every blob that an object record or an upload's part references. */
  void forEachReferencedBlob(Consumer<BlobId> visitor);
}
