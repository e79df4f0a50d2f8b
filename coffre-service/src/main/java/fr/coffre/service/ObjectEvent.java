package fr.coffre.service;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A change to an object that bucket notifications report (docs/notifications.md).
 *
 * @param eventName the S3 event name without its {@code s3:} prefix, e.g. {@code
 *     ObjectCreated:Put}, {@code ObjectRemoved:DeleteMarkerCreated}
 * @param tenant the bucket owner's tenant, whose audit chain records the deliveries
 * @param principalId who made the change (an access key, or {@code anonymous})
 * @param sourceIp the client's address, or null if unknown
 * @param size the object's size in bytes (0 for a removal)
 * @param etag the object's ETag without quotes, or null for a removal
 * @param versionId the version created or removed, or null in an unversioned bucket
 */
public record ObjectEvent(
    String eventName,
    Instant time,
    String tenant,
    String bucket,
    String key,
    String principalId,
    @Nullable String sourceIp,
    long size,
    @Nullable String etag,
    @Nullable String versionId) {

  /** Whether the event is a creation ({@code ObjectCreated:*}). */
  public boolean created() {
    return eventName.startsWith("ObjectCreated:");
  }
}
