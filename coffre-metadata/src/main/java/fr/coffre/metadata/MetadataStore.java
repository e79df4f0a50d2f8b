package fr.coffre.metadata;

import fr.coffre.core.BlobId;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.WriteCondition;
import java.io.Closeable;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Buckets and the current version of each object, kept as rows. Every mutating method is one
 * transaction that is durable (synced) when it returns; {@link #putObject} is the atomic switch
 * that makes a new object visible: readers see the old record or the new one, never a mix.
 *
 * <p>Errors are the domain's: {@link fr.coffre.core.NoSuchBucketException}, {@link
 * fr.coffre.core.BucketAlreadyOwnedException}, {@link fr.coffre.core.BucketNotEmptyException},
 * {@link fr.coffre.core.PreconditionFailedException}; failures of the database itself are {@link
 * fr.coffre.core.StorageFailureException}.
 */
public interface MetadataStore extends Closeable {

  /** Creates a bucket, or throws BucketAlreadyOwnedException if the name is taken. */
  void createBucket(BucketRecord bucket);

  Optional<BucketRecord> bucket(BucketName name);

  /** All buckets, ordered by name. */
  List<BucketRecord> buckets();

  /** Deletes an empty bucket; NoSuchBucketException or BucketNotEmptyException otherwise. */
  void deleteBucket(BucketName name);

  /** The current record of a key; NoSuchBucketException if the bucket does not exist. */
  Optional<ObjectRecord> object(BucketName bucket, ObjectKey key);

  /**
   * Makes {@code record} the current version of its key, if {@code condition} holds against the
   * current one (checked in the same transaction; PreconditionFailedException otherwise).
   *
   * @return the record it replaced, whose blobs the caller may now reclaim
   */
  Optional<ObjectRecord> putObject(ObjectRecord record, WriteCondition condition);

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

  /** Calls {@code visitor} with every blob that some object record references. */
  void forEachReferencedBlob(Consumer<BlobId> visitor);
}
