package fr.coffre.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A bucket as the metadata store keeps it.
 *
 * @param tenant the tenant that owns it (bucket names are global, as in S3)
 * @param sensitivityClass the placement class its objects obey (changed only by reclassification)
 * @param versioning whether writes make new versions
 * @param objectLock whether Object Lock is enabled (only at creation; it implies versioning)
 */
public record BucketRecord(
    BucketName name,
    Instant created,
    String region,
    String tenant,
    Quota quota,
    String sensitivityClass,
    Versioning versioning,
    boolean objectLock) {
  /** The class of buckets made before classes existed, and the built-in default. */
  public static final String DEFAULT_CLASS = "internal";

  public BucketRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(tenant, "tenant");
    quota = quota == null ? Quota.NONE : quota;
    sensitivityClass = sensitivityClass == null ? DEFAULT_CLASS : sensitivityClass;
    versioning = versioning == null ? Versioning.UNVERSIONED : versioning;
    if (objectLock && versioning != Versioning.ENABLED) {
      throw new IllegalArgumentException("a bucket with Object Lock is versioned");
    }
  }

  public BucketRecord(
      BucketName name,
      Instant created,
      String region,
      String tenant,
      Quota quota,
      String sensitivityClass) {
    this(name, created, region, tenant, quota, sensitivityClass, Versioning.UNVERSIONED, false);
  }

  public BucketRecord(BucketName name, Instant created, String region, String tenant, Quota quota) {
    this(name, created, region, tenant, quota, DEFAULT_CLASS);
  }

  /** A bucket of the default tenant, without quota. */
  public BucketRecord(BucketName name, Instant created, String region) {
    this(name, created, region, TenantRecord.DEFAULT, Quota.NONE);
  }
}
