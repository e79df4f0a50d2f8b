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

/** The {@link UploadStore} of {@link SqliteMetadataStore}: multipart uploads, parts, completions. */
final class SqliteUploads implements UploadStore {
  private final SqliteDatabase db;
  private final BucketRows buckets;
  private final UploadRows uploads;
  private final SqliteObjects objects;

  SqliteUploads(SqliteDatabase db, BucketRows buckets, UploadRows uploads, SqliteObjects objects) {
    this.db = db;
    this.buckets = buckets;
    this.uploads = uploads;
    this.objects = objects;
  }

  @Override
  public void createUpload(UploadRecord upload) {
    db.transaction("createUpload", () -> {
      buckets.require(upload.bucket());
      uploads.insert(upload);
      return null;
    });
  }

  @Override
  public Optional<UploadRecord> upload(BucketName bucket, String uploadId) {
    return db.locked("upload", () -> {
      buckets.require(bucket);
      return uploads.find(uploadId).filter(u -> u.bucket().equals(bucket));
    });
  }

  @Override
  public Optional<PartRecord> putPart(PartRecord part) {
    return db.transaction("putPart", () -> {
      if (uploads.find(part.uploadId()).isEmpty()) {
        throw new NoSuchUploadException(part.uploadId());
      }
      Optional<PartRecord> previous = uploads.part(part.uploadId(), part.partNumber());
      uploads.upsertPart(part);
      return previous;
    });
  }

  @Override
  public List<PartRecord> parts(String uploadId, int after, int max) {
    return db.locked("parts", () -> uploads.parts(uploadId, after, max));
  }

  @Override
  public Optional<ObjectRecord> completeUpload(String uploadId, ObjectRecord object, WriteCondition condition) {
    return db.transaction("completeUpload", () -> {
      if (uploads.find(uploadId).isEmpty()) {
        throw new NoSuchUploadException(uploadId);
      }
      Optional<ObjectRecord> previous = objects.put(object, condition);
      uploads.delete(uploadId);
      uploads.rememberCompleted(uploadId, object);
      return previous;
    });
  }

  @Override
  public List<PartRecord> abortUpload(BucketName bucket, String uploadId) {
    return db.transaction("abortUpload", () -> {
      buckets.require(bucket);
      if (uploads.find(uploadId).filter(u -> u.bucket().equals(bucket)).isEmpty()) {
        throw new NoSuchUploadException(uploadId);
      }
      List<PartRecord> parts = uploads.parts(uploadId, 0, PartRecord.MAX_PART_NUMBER);
      uploads.delete(uploadId);
      return parts;
    });
  }

  @Override
  public List<UploadRecord> uploads(BucketName bucket, String prefix, String keyMarker, String uploadIdMarker, int max) {
    return db.locked("uploads", () -> {
      buckets.require(bucket);
      return uploads.list(bucket, prefix, keyMarker, uploadIdMarker, max);
    });
  }

  @Override
  public Optional<ETag> completedUpload(BucketName bucket, ObjectKey key, String uploadId) {
    return db.locked("completedUpload", () -> uploads.completed(bucket, key, uploadId));
  }

  @Override
  public int forgetCompletedUploads(Instant cutoff) {
    return db.locked("forgetCompletedUploads", () -> uploads.forgetCompleted(cutoff));
  }

  @Override
  public List<UploadRecord> uploadsInitiatedBefore(Instant cutoff, int max) {
    return db.locked("uploadsInitiatedBefore", () -> uploads.initiatedBefore(cutoff, max));
  }
}
