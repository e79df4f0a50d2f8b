package fr.coffre.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A multipart upload in progress. Its data key is chosen at creation and encrypts every part, so
 * completion only writes a manifest: the object's blobs are the parts' blobs, in order.
 */
public record UploadRecord(
    String uploadId,
    BucketName bucket,
    ObjectKey key,
    Instant initiated,
    String keyRef,
    byte[] wrappedKey,
    byte[] sealedAttributes) {

  public UploadRecord {
    if (uploadId == null || !uploadId.matches("[0-9a-f]{32}")) {
      throw new IllegalArgumentException("not an upload id: " + uploadId);
    }
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(initiated, "initiated");
    Objects.requireNonNull(keyRef, "keyRef");
    Objects.requireNonNull(wrappedKey, "wrappedKey");
    Objects.requireNonNull(sealedAttributes, "sealedAttributes");
  }
}
