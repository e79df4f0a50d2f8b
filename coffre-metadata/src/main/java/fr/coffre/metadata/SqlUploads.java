package fr.coffre.metadata;

import fr.coffre.core.BucketName;
import fr.coffre.core.ETag;
import fr.coffre.core.NoSuchUploadException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.PartRecord;
import fr.coffre.core.UploadRecord;
import fr.coffre.core.WriteCondition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@link UploadStore} of the SQL stores: multipart uploads, parts, completions.
 *
 * <p>Rows are locked in one order everywhere (bucket, then upload, then object, then usage, then
 * tenant), so that PostgreSQL transactions wait for each other instead of deadlocking.
 */
final class SqlUploads implements UploadStore {
  private final SqlDatabase db;

  SqlUploads(SqlDatabase db) {
    this.db = db;
  }

  @Override
  public void createUpload(UploadRecord upload) {
    db.transaction(
        "createUpload",
        s -> {
          s.buckets().require(upload.bucket(), Dialect.FOR_KEY_SHARE);
          s.uploads().insert(upload);
          return null;
        });
  }

  @Override
  public Optional<UploadRecord> upload(BucketName bucket, String uploadId) {
    return db.read(
        "upload",
        s -> {
          s.buckets().require(bucket);
          return s.uploads().find(uploadId).filter(u -> u.bucket().equals(bucket));
        });
  }

  @Override
  public Optional<PartRecord> putPart(PartRecord part) {
    return db.transaction(
        "putPart",
        s -> {
          // Held (key share) so that an abort or a completion waits for this part, and sees it.
          if (s.uploads().find(part.uploadId(), Dialect.FOR_KEY_SHARE).isEmpty()) {
            throw new NoSuchUploadException(part.uploadId());
          }
          while (true) {
            Optional<PartRecord> previous =
                s.uploads().partForUpdate(part.uploadId(), part.partNumber());
            if (previous.isPresent()) {
              s.uploads().updatePart(part);
              return previous;
            }
            if (s.uploads().insertPartIfAbsent(part)) {
              return previous;
            }
            // Another upload of this part number came first: replace it instead (and return it).
          }
        });
  }

  @Override
  public List<PartRecord> parts(String uploadId, int after, int max) {
    return db.read("parts", s -> s.uploads().parts(uploadId, after, max));
  }

  @Override
  public ObjectStore.Written completeUpload(
      String uploadId, ObjectRecord object, WriteCondition condition) {
    return db.transaction(
        "completeUpload",
        s -> {
          if (s.uploads().find(uploadId).isEmpty()) {
            throw new NoSuchUploadException(uploadId);
          }
          // The bucket before the upload (the order deleteBucket takes them in); the upload locked
          // so
          // that of two racing completions the second finds it gone.
          s.buckets().require(object.bucket(), Dialect.FOR_KEY_SHARE);
          if (s.uploads().find(uploadId, Dialect.FOR_UPDATE).isEmpty()) {
            throw new NoSuchUploadException(uploadId);
          }
          ObjectStore.Written written = SqlObjects.put(s, object, condition);
          s.uploads().delete(uploadId);
          s.uploads().rememberCompleted(uploadId, written.stored());
          return written;
        });
  }

  @Override
  public List<PartRecord> abortUpload(BucketName bucket, String uploadId) {
    return db.transaction(
        "abortUpload",
        s -> {
          s.buckets().require(bucket, Dialect.FOR_KEY_SHARE);
          if (s.uploads()
              .find(uploadId, Dialect.FOR_UPDATE)
              .filter(u -> u.bucket().equals(bucket))
              .isEmpty()) {
            throw new NoSuchUploadException(uploadId);
          }
          List<PartRecord> parts = s.uploads().parts(uploadId, 0, PartRecord.MAX_PART_NUMBER);
          s.uploads().delete(uploadId);
          return parts;
        });
  }

  @Override
  public List<UploadRecord> uploads(
      BucketName bucket, String prefix, String keyMarker, String uploadIdMarker, int max) {
    return db.read(
        "uploads",
        s -> {
          s.buckets().require(bucket);
          return s.uploads().list(bucket, prefix, keyMarker, uploadIdMarker, max);
        });
  }

  @Override
  public Optional<ETag> completedUpload(BucketName bucket, ObjectKey key, String uploadId) {
    return db.read("completedUpload", s -> s.uploads().completed(bucket, key, uploadId));
  }

  @Override
  public int forgetCompletedUploads(Instant cutoff) {
    return db.transaction("forgetCompletedUploads", s -> s.uploads().forgetCompleted(cutoff));
  }

  @Override
  public List<UploadRecord> uploadsInitiatedBefore(Instant cutoff, int max) {
    return db.read("uploadsInitiatedBefore", s -> s.uploads().initiatedBefore(cutoff, max));
  }
}
