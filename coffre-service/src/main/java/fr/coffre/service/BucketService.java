package fr.coffre.service;

import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.metadata.MetadataStore;
import java.time.Clock;
import java.util.List;

/** Bucket use cases: create, look up, list and delete buckets. */
public final class BucketService {
  private final MetadataStore metadata;
  private final Clock clock;

  public BucketService(MetadataStore metadata, Clock clock) {
    this.metadata = metadata;
    this.clock = clock;
  }

  public BucketRecord create(BucketName name, String region) {
    BucketRecord bucket = new BucketRecord(name, clock.instant(), region);
    metadata.createBucket(bucket);
    return bucket;
  }

  /** The bucket, or NoSuchBucketException. */
  public BucketRecord get(BucketName name) {
    return metadata.bucket(name).orElseThrow(() -> new NoSuchBucketException(name.value()));
  }

  public List<BucketRecord> list() {
    return metadata.buckets();
  }

  public void delete(BucketName name) {
    metadata.deleteBucket(name);
  }
}
