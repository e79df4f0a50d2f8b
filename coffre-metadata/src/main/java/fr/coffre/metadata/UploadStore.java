package fr.coffre.metadata;

import fr.coffre.core.BucketName;
import fr.coffre.core.ETag;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.NoSuchUploadException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.PartRecord;
import fr.coffre.core.StorageFailureException;
import fr.coffre.core.UploadRecord;
import fr.coffre.core.WriteCondition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Multipart uploads in progress and their parts, as rows, and the memory of recent completions.
 * Each mutating method is one transaction, durable (synced) when it returns; {@link
 * #completeUpload} writes the object and removes the upload in the same one. Errors are {@link
 * NoSuchBucketException} and {@link NoSuchUploadException}, and those of {@link
 * ObjectStore#putObject} for a completion; failures of the database itself are {@link
 * StorageFailureException}.
 */
public interface UploadStore {

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
   * Completes an upload in one transaction: the object row is written (if {@code condition} holds),
   * the upload and its part rows are removed.
   *
   * @return the version written, and the one it replaced, as {@link ObjectStore#putObject} says
   */
  ObjectStore.Written completeUpload(
      String uploadId, ObjectRecord object, WriteCondition condition);

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
  List<UploadRecord> uploads(
      BucketName bucket, String prefix, String keyMarker, String uploadIdMarker, int max);

  /**
   * The ETag of the object an upload of this bucket and key became, if it was completed and not yet
   * forgotten; lets a retried completion succeed again.
   */
  Optional<ETag> completedUpload(BucketName bucket, ObjectKey key, String uploadId);

  /** Forgets completions older than {@code cutoff}; returns how many. */
  int forgetCompletedUploads(Instant cutoff);

  /** Uploads of any bucket initiated before {@code cutoff}, oldest first, at most {@code max}. */
  List<UploadRecord> uploadsInitiatedBefore(Instant cutoff, int max);
}
