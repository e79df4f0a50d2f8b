package fr.coffre.metadata;

import fr.coffre.core.BlobId;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.ETag;
import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.PartRecord;
import fr.coffre.core.UploadRecord;
import fr.coffre.core.WriteCondition;
import java.io.Closeable;
import java.time.Instant;
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
public interface MetadataStore extends IdentityStore, ShareStore, Closeable {

  /** Creates a bucket, or throws BucketAlreadyOwnedException if the name is taken. */
  void createBucket(BucketRecord bucket);

  Optional<BucketRecord> bucket(BucketName name);

  /** Changes a bucket's sensitivity class (a reclassification, once its data complies). */
  void setBucketClass(BucketName bucket, String sensitivityClass);

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

  /** Sets (or with a null value removes) a bucket's configuration document; NoSuchBucketException. */
  void putBucketSetting(BucketName bucket, String name, String value);

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

  /** Records a new multipart upload; NoSuchBucketException if its bucket is gone. */
  void createUpload(UploadRecord upload);

  /** The upload, or empty if it does not exist in this bucket. */
  Optional<UploadRecord> upload(BucketName bucket, String uploadId);

  /**
   * Records a part (replacing an earlier upload of the same number); NoSuchUploadException if the
   * upload is gone.
   *
   * @return the replaced part, whose blob the caller may reclaim
   */
  Optional<PartRecord> putPart(PartRecord part);

  /** The upload's parts with numbers above {@code after}, ascending, at most {@code max}. */
  List<PartRecord> parts(String uploadId, int after, int max);

  /**
   * Completes an upload in one transaction: the object row is written (if {@code condition}
   * holds), the upload and its part rows are removed.
   *
   * @return the object version replaced, if any
   */
  Optional<ObjectRecord> completeUpload(String uploadId, ObjectRecord object, WriteCondition condition);

  /**
   * Removes an upload and its parts; NoSuchUploadException if it does not exist.
   *
   * @return the removed parts, whose blobs the caller reclaims
   */
  List<PartRecord> abortUpload(BucketName bucket, String uploadId);

  /**
   * The bucket's uploads in progress, ordered by key then initiation, with keys after {@code
   * keyMarker} (or equal to it with an upload id after {@code uploadIdMarker}), at most {@code max}
   * plus one to tell truncation.
   */
  List<UploadRecord> uploads(BucketName bucket, String prefix, String keyMarker, String uploadIdMarker, int max);

  /**
   * The ETag of the object an upload of this bucket and key became, if it was completed and not
   * yet forgotten; lets a retried completion succeed again.
   */
  Optional<ETag> completedUpload(BucketName bucket, ObjectKey key, String uploadId);

  /** Forgets completions older than {@code cutoff}; returns how many. */
  int forgetCompletedUploads(Instant cutoff);

  /** Uploads of any bucket initiated before {@code cutoff}, oldest first, at most {@code max}. */
  List<UploadRecord> uploadsInitiatedBefore(Instant cutoff, int max);

  /** Records a new KMS key and its first version, in one transaction. */
  void createKmsKey(fr.coffre.core.KmsKeyRecord key, fr.coffre.core.KmsKeyVersion first);

  /** A KMS key by id, or by alias when {@code byAlias}. */
  Optional<fr.coffre.core.KmsKeyRecord> kmsKey(String idOrAlias, boolean byAlias);

  /** Every KMS key, destroyed ones included, oldest first. */
  List<fr.coffre.core.KmsKeyRecord> kmsKeys();

  /** Replaces a key's row (state, dates, current version, certificate). */
  void updateKmsKey(fr.coffre.core.KmsKeyRecord key);

  /** Adds a version and makes it the key's current one, in one transaction. */
  void rotateKmsKey(fr.coffre.core.KmsKeyRecord key, fr.coffre.core.KmsKeyVersion next);

  /** A key's versions, oldest first (none once destroyed). */
  List<fr.coffre.core.KmsKeyVersion> kmsKeyVersions(String keyId);

  /**
   * Destroys a key's material: deletes every version (the database overwrites deleted content) and
   * stores the key's final row, in one transaction; returns how many versions were deleted.
   */
  int destroyKmsKey(fr.coffre.core.KmsKeyRecord destroyed);

  /** Objects, their total bytes, and multipart uploads whose data key reference starts with {@code keyRefPrefix}. */
  fr.coffre.core.KeyUsage keyUsage(String keyRefPrefix);

  /** Up to {@code max} objects whose data key reference is exactly {@code keyRef}. */
  List<ObjectRecord> objectsWithKeyRef(String keyRef, int max);

  /** How many objects have exactly {@code keyRef} as their data key reference. */
  long countObjectsWithKeyRef(String keyRef);

  /** Replaces an object's wrapped data key if the row still holds {@code current}'s; false otherwise. */
  boolean rewrapObject(ObjectRecord current, String keyRef, byte[] wrappedKey);

  /** Up to {@code max} multipart uploads whose data key reference is exactly {@code keyRef}. */
  List<UploadRecord> uploadsWithKeyRef(String keyRef, int max);

  /** Replaces an upload's wrapped data key if it still holds {@code current}'s; false otherwise. */
  boolean rewrapUpload(UploadRecord current, String keyRef, byte[] wrappedKey);
}
