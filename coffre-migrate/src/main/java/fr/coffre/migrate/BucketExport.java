package fr.coffre.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A bucket's {@code bucket.json}: its name, creation date and settings. A setting the source did
 * not answer is in {@code absent}, with the error code it answered instead.
 */
public record BucketExport(
    String format,
    String name,
    @Nullable String createdAt,
    Map<String, JsonNode> settings,
    Map<String, String> absent) {

  /** Whether Object Lock is enabled on the bucket (so it must be created with it). */
  boolean objectLockEnabled() {
    JsonNode lock = settings.get(BucketSettings.OBJECT_LOCK.jsonName);
    return lock != null && "Enabled".equals(lock.path("ObjectLockEnabled").asText());
  }

  /** Whether the bucket has (or had) versioning: its versions need a versioned target. */
  boolean versioned() {
    JsonNode v = settings.get(BucketSettings.VERSIONING.jsonName);
    return v != null && !v.path("Status").asText().isEmpty();
  }

  /** The export's summary (export.json). */
  public record Summary(
      String format, String tool, String endpoint, String exportedAt, List<BucketRef> buckets) {}

  /** One exported bucket and its directory relative to the export root. */
  public record BucketRef(String name, String dir) {}
}
