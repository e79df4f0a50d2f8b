package fr.coffre.metadata;

import fr.coffre.core.BucketAlreadyOwnedException;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketNotEmptyException;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.PartRecord;
import fr.coffre.core.StorageFailureException;
import fr.coffre.core.Versioning;
import java.util.List;
import java.util.Optional;

/**
 * Buckets as rows: their records, sensitivity class and configuration documents. Each mutating
 * method is one transaction, durable (synced) when it returns. Errors are {@link
 * BucketAlreadyOwnedException}, {@link NoSuchBucketException} and {@link BucketNotEmptyException};
 * failures of the database itself are {@link StorageFailureException}.
 */
public interface BucketStore {

  /** Creates a bucket, or throws BucketAlreadyOwnedException if the name is taken. */
  void createBucket(BucketRecord bucket);

  Optional<BucketRecord> bucket(BucketName name);

  /** Changes a bucket's sensitivity class (a reclassification, once its data complies). */
  void setBucketClass(BucketName bucket, String sensitivityClass);

  /**
   * Sets a bucket's versioning state (ENABLED or SUSPENDED; a bucket never goes back to
   * UNVERSIONED). Suspending a bucket with Object Lock is refused with ObjectLockException.
   */
  void setVersioning(BucketName bucket, Versioning versioning);

  /**
   * Enables Object Lock on a bucket whose versioning is enabled (for good: it cannot be turned
   * off); ObjectLockException (invalid bucket state) otherwise.
   */
  void enableObjectLock(BucketName bucket);

  /** All buckets, ordered by name. */
  List<BucketRecord> buckets();

  /**
   * Deletes an empty bucket with its settings and its uploads in progress (as S3 does);
   * NoSuchBucketException or BucketNotEmptyException otherwise.
   *
   * @return the parts of the removed uploads, whose blobs the caller reclaims
   */
  List<PartRecord> deleteBucket(BucketName name);

  /** A bucket's configuration document of the given kind (e.g. {@code cors}), if set. */
  Optional<String> bucketSetting(BucketName bucket, String name);

  /**
   * Sets (or with a null value removes) a bucket's configuration document; NoSuchBucketException.
   */
  void putBucketSetting(BucketName bucket, String name, String value);
}
