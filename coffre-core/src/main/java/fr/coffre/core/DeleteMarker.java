package fr.coffre.core;

import java.time.Instant;
import java.util.Objects;

/** A delete marker: the version a delete leaves in a versioned bucket, with no content. */
public record DeleteMarker(BucketName bucket, ObjectKey key, String versionId, Instant lastModified)
    implements ObjectVersion {
  public DeleteMarker {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(versionId, "versionId");
    Objects.requireNonNull(lastModified, "lastModified");
  }
}
