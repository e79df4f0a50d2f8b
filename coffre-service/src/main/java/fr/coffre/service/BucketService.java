package fr.coffre.service;

import fr.coffre.core.BucketAlreadyOwnedException;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.DefaultRetention;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.PartRecord;
import fr.coffre.core.Quota;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.Usage;
import fr.coffre.core.Versioning;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.storage.BlobStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Bucket use cases: create, look up, list and delete buckets, and keep their configuration
 * documents (tagging, CORS, ...), which this layer stores without reading them.
 */
public final class BucketService {
  private final MetadataStore metadata;
  private final Reclaimer reclaimer;
  private final Clock clock;
  private final ObjectLocks locks;

  private Placer placer = Placer.NONE;

  /** Sets how bucket classes are checked (the server's placement rules). */
  public BucketService placedBy(Placer placer) {
    this.placer = placer;
    return this;
  }

  public BucketService(MetadataStore metadata, BlobStore blobs, Clock clock) {
    this.metadata = metadata;
    this.reclaimer = new Reclaimer(blobs);
    this.clock = clock;
    this.locks = new ObjectLocks(metadata);
  }

  /** Creates a bucket of the default tenant. */
  public BucketRecord create(BucketName name, String region) {
    return create(name, region, TenantRecord.DEFAULT);
  }

  /**
   * Creates a bucket owned by {@code tenant}; BucketAlreadyOwnedException if the name is taken
   * (telling the caller whether by itself or by another tenant, as S3 does).
   */
  public BucketRecord create(BucketName name, String region, String tenant) {
    return create(name, region, tenant, null);
  }

  /**
   * Creates a bucket with a sensitivity class: the one requested (PlacementRefusedException if the
   * server does not define it or cannot honour it), or the configured default.
   */
  public BucketRecord create(
      BucketName name, String region, String tenant, String sensitivityClass) {
    return create(name, region, tenant, sensitivityClass, false);
  }

  /**
   * As {@link #create(BucketName, String, String, String)}, with Object Lock enabled if {@code
   * objectLock} (which makes the bucket versioned from the start, for good).
   */
  public BucketRecord create(
      BucketName name, String region, String tenant, String sensitivityClass, boolean objectLock) {
    BucketRecord bucket =
        new BucketRecord(
            name,
            clock.instant(),
            region,
            tenant,
            null,
            placer.classFor(sensitivityClass),
            objectLock ? Versioning.ENABLED : Versioning.UNVERSIONED,
            objectLock);
    try {
      metadata.createBucket(bucket);
    } catch (BucketAlreadyOwnedException e) {
      boolean mine = metadata.bucket(name).map(b -> b.tenant().equals(tenant)).orElse(true);
      throw mine ? e : new BucketAlreadyOwnedException(name.value(), true);
    }
    return bucket;
  }

  /** Enables or suspends versioning (a locked bucket cannot be suspended). */
  public void setVersioning(BucketName name, Versioning versioning) {
    metadata.setVersioning(name, versioning);
  }

  /**
   * Sets a bucket's Object Lock configuration: enables the lock if the bucket is versioned (and it
   * was not yet), and sets or removes ({@code null}) its default retention.
   */
  public void setObjectLockConfiguration(BucketName name, DefaultRetention defaultRetention) {
    BucketRecord b = get(name);
    if (!b.objectLock()) {
      metadata.enableObjectLock(name);
    }
    metadata.putBucketSetting(
        name,
        ObjectLocks.DEFAULT_RETENTION,
        defaultRetention == null ? null : defaultRetention.text());
  }

  /** A bucket's default retention, if it has Object Lock and one is set. */
  public Optional<DefaultRetention> defaultRetention(BucketName name) {
    return locks.defaultRetention(name);
  }

  /** The sensitivity classes this server defines, by name. */
  public List<String> sensitivityClasses() {
    return placer.classNames();
  }

  /**
   * The sensitivity class of {@code name} when that class refuses requests signed with AWS
   * Signature Version 2; empty when it accepts them, or when there is no such bucket (the action
   * then answers NoSuchBucket as for any signature).
   */
  public Optional<String> refusingSigV2(BucketName name) {
    return metadata
        .bucket(name)
        .map(BucketRecord::sensitivityClass)
        .filter(c -> !placer.acceptsSigV2(c));
  }

  /**
   * The sensitivity class of {@code name} when that class forbids public access (public ACLs and
   * public bucket policies); empty when it allows it or there is no such bucket.
   */
  public Optional<String> refusingPublicAccess(BucketName name) {
    return metadata
        .bucket(name)
        .map(BucketRecord::sensitivityClass)
        .filter(c -> !placer.acceptsPublicAccess(c));
  }

  /** The buckets a tenant owns, by name. */
  public List<BucketRecord> list(String tenant) {
    return metadata.buckets(tenant);
  }

  /**
   * A page of a tenant's buckets by name: up to {@code limit} after {@code after} whose names start
   * with {@code prefix} (either may be null).
   */
  public List<BucketRecord> page(
      String tenant, @Nullable String prefix, @Nullable String after, int limit) {
    return metadata.buckets(tenant, prefix, after, limit);
  }

  /** Sets a bucket's quota (a null bound is no limit). */
  public void setQuota(BucketName name, Quota quota) {
    metadata.setBucketQuota(name, quota == null ? Quota.NONE : quota);
  }

  public Usage usage(BucketName name) {
    return metadata.bucketUsage(name);
  }

  /** The bucket, or NoSuchBucketException. */
  public BucketRecord get(BucketName name) {
    return metadata.bucket(name).orElseThrow(() -> new NoSuchBucketException(name.value()));
  }

  public List<BucketRecord> list() {
    return metadata.buckets();
  }

  /** Deletes an empty bucket; its uploads in progress go with it and their parts are reclaimed. */
  public void delete(BucketName name) {
    List<PartRecord> parts = metadata.deleteBucket(name);
    reclaimer.reclaim(parts.stream().map(PartRecord::blob).toList());
  }

  /** A configuration document of the bucket ({@code kind} e.g. "cors"); NoSuchBucketException. */
  public Optional<String> setting(BucketName name, String kind) {
    return metadata.bucketSetting(name, kind);
  }

  /** Sets a configuration document, or removes it when {@code document} is null. */
  public void setSetting(BucketName name, String kind, String document) {
    metadata.putBucketSetting(name, kind, document);
  }
}
