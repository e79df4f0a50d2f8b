package fr.coffre.metadata;

import fr.coffre.core.BucketAlreadyOwnedException;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketNotEmptyException;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.PartRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@link BucketStore} of {@link SqliteMetadataStore}: buckets and their settings. */
final class SqliteBuckets implements BucketStore {
  private final SqliteDatabase db;
  private final BucketRows buckets;
  private final SettingRows settings;
  private final UploadRows uploads;

  SqliteBuckets(SqliteDatabase db, BucketRows buckets, UploadRows uploads) {
    this.db = db;
    this.buckets = buckets;
    this.settings = new SettingRows(db.connection());
    this.uploads = uploads;
  }

  @Override
  public void createBucket(BucketRecord bucket) {
    db.locked("createBucket", () -> {
      if (buckets.find(bucket.name()).isPresent()) {
        throw new BucketAlreadyOwnedException(bucket.name().value());
      }
      buckets.insert(bucket);
      return null;
    });
  }

  @Override
  public Optional<BucketRecord> bucket(BucketName name) {
    return db.locked("bucket", () -> buckets.find(name));
  }

  @Override
  public void setBucketClass(BucketName bucket, String sensitivityClass) {
    db.locked("setBucketClass", () -> {
      if (!buckets.setClass(bucket, sensitivityClass)) {
        throw new NoSuchBucketException(bucket.value());
      }
      return null;
    });
  }

  @Override
  public List<BucketRecord> buckets() {
    return db.locked("buckets", buckets::all);
  }

  @Override
  public List<PartRecord> deleteBucket(BucketName name) {
    return db.transaction("deleteBucket", () -> {
      buckets.require(name);
      if (buckets.hasObjects(name)) {
        throw new BucketNotEmptyException(name.value());
      }
      List<PartRecord> parts = new ArrayList<>();
      for (String uploadId : uploads.idsInBucket(name)) {
        parts.addAll(uploads.parts(uploadId, 0, PartRecord.MAX_PART_NUMBER));
        uploads.delete(uploadId);
      }
      settings.deleteAll(name);
      buckets.delete(name);
      return parts;
    });
  }

  @Override
  public Optional<String> bucketSetting(BucketName bucket, String name) {
    return db.locked("bucketSetting", () -> {
      buckets.require(bucket);
      return settings.get(bucket, name);
    });
  }

  @Override
  public void putBucketSetting(BucketName bucket, String name, String value) {
    db.transaction("putBucketSetting", () -> {
      buckets.require(bucket);
      settings.put(bucket, name, value);
      return null;
    });
  }
}
