package fr.coffre.core;

import java.time.Instant;
import java.util.Objects;

/** A bucket as the metadata store keeps it. */
public record BucketRecord(BucketName name, Instant created, String region) {
  public BucketRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(region, "region");
  }
}
