package fr.coffre.metadata;

import fr.coffre.core.BucketAlreadyOwnedException;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketNotEmptyException;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.ObjectLockException;
import fr.coffre.core.PartRecord;
import fr.coffre.core.Versioning;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@link BucketStore} of the SQL stores: buckets and their settings. */
final class SqlBuckets implements BucketStore {
  private final SqlDatabase db;
  private final ReadCache<BucketName, Optional<BucketRecord>> buckets = new ReadCache<>(4096);
  private final ReadCache<SettingKey, Optional<String>> settings = new ReadCache<>(4096);

  private record SettingKey(BucketName bucket, String name) {}

  SqlBuckets(SqlDatabase db) {
    this.db = db;
  }

  /** Reads of buckets and settings answered without the database; for tests. */
  long cacheHits() {
    return buckets.hits() + settings.hits();
  }

  @Override
  public void createBucket(BucketRecord bucket) {
    db.transaction(
        "createBucket",
        s -> {
          if (!s.buckets().insertIfAbsent(bucket)) {
            throw new BucketAlreadyOwnedException(bucket.name().value());
          }
          return null;
        });
  }

  @Override
  public Optional<BucketRecord> bucket(BucketName name) {
    return db.read("bucket", buckets, name, s -> s.buckets().find(name));
  }

  @Override
  public void setBucketClass(BucketName bucket, String sensitivityClass) {
    db.transaction(
        "setBucketClass",
        s -> {
          if (!s.buckets().setClass(bucket, sensitivityClass)) {
            throw new NoSuchBucketException(bucket.value());
          }
          return null;
        });
  }

  @Override
  public List<BucketRecord> buckets() {
    return db.read("buckets", s -> s.buckets().all());
  }

  @Override
  public List<PartRecord> deleteBucket(BucketName name) {
    return db.transaction(
        "deleteBucket",
        s -> {
          // Locked first: a concurrent write into the bucket holds it (key share) and finishes
          // before,
          // so the emptiness check sees its object, and no write starts until the bucket is gone.
          s.buckets().require(name, Dialect.FOR_UPDATE);
          if (s.buckets().hasObjects(name)) {
            throw new BucketNotEmptyException(name.value());
          }
          List<PartRecord> parts = new ArrayList<>();
          for (String uploadId : s.uploads().idsInBucketForUpdate(name)) {
            parts.addAll(s.uploads().parts(uploadId, 0, PartRecord.MAX_PART_NUMBER));
            s.uploads().delete(uploadId);
          }
          s.settings().deleteAll(name);
          s.buckets().delete(name);
          return parts;
        });
  }

  @Override
  public Optional<String> bucketSetting(BucketName bucket, String name) {
    return db.read(
        "bucketSetting",
        settings,
        new SettingKey(bucket, name),
        s -> {
          s.buckets().require(bucket);
          return s.settings().get(bucket, name);
        });
  }

  @Override
  public void setVersioning(BucketName bucket, Versioning versioning) {
    if (versioning == Versioning.UNVERSIONED) {
      throw new InvalidArgumentException("a versioned bucket cannot become unversioned");
    }
    db.transaction(
        "setVersioning",
        s -> {
          s.buckets().require(bucket, Dialect.FOR_UPDATE);
          BucketRecord b = s.buckets().find(bucket).orElseThrow();
          if (b.objectLock() && versioning != Versioning.ENABLED) {
            throw new ObjectLockException(
                ObjectLockException.Reason.INVALID_BUCKET_STATE,
                "An Object Lock configuration is present on this bucket, so the versioning state"
                    + " cannot be changed.");
          }
          s.buckets().setVersioning(bucket, versioning);
          return null;
        });
  }

  @Override
  public void enableObjectLock(BucketName bucket) {
    db.transaction(
        "enableObjectLock",
        s -> {
          s.buckets().require(bucket, Dialect.FOR_UPDATE);
          BucketRecord b = s.buckets().find(bucket).orElseThrow();
          if (b.versioning() != Versioning.ENABLED) {
            throw new ObjectLockException(
                ObjectLockException.Reason.INVALID_BUCKET_STATE,
                "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
          }
          s.buckets().enableObjectLock(bucket);
          return null;
        });
  }

  @Override
  public void putBucketSetting(BucketName bucket, String name, String value) {
    db.transaction(
        "putBucketSetting",
        s -> {
          s.buckets().require(bucket, Dialect.FOR_KEY_SHARE);
          s.settings().put(bucket, name, value);
          return null;
        });
  }
}
