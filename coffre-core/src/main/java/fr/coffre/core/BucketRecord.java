package fr.coffre.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A bucket as the metadata store keeps it.
 *
 * @param tenant the tenant that owns it (bucket names are global, as in S3)
 */
public record BucketRecord(BucketName name, Instant created, String region, String tenant, Quota quota) {
  public BucketRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(tenant, "tenant");
    quota = quota == null ? Quota.NONE : quota;
  }

  /** A bucket of the default tenant, without quota. */
  public BucketRecord(BucketName name, Instant created, String region) {
    this(name, created, region, TenantRecord.DEFAULT, Quota.NONE);
  }
}
