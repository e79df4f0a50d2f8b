package fr.coffre.service;

import fr.coffre.core.ETag;
import fr.coffre.core.LockState;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectVersion;
import java.time.Instant;
import java.util.List;

/**
 * What GET and HEAD report about an object, attributes decrypted.
 *
 * @param partSizes the sizes of the parts of a multipart object, in order; empty for an object
 *     written in one piece
 * @param kmsKeyArn the ARN of the KMS key protecting the object (SSE-KMS), else null
 * @param versionId the version's id ({@code null} in a bucket never versioned)
 * @param lock the version's Object Lock state
 */
public record ObjectInfo(
    long size,
    ETag etag,
    Instant lastModified,
    ObjectAttributes attributes,
    List<Long> partSizes,
    String kmsKeyArn,
    String versionId,
    LockState lock) {
  public ObjectInfo {
    partSizes = List.copyOf(partSizes);
    versionId = versionId == null ? ObjectVersion.NULL_ID : versionId;
    lock = lock == null ? LockState.NONE : lock;
  }

  public ObjectInfo(
      long size,
      ETag etag,
      Instant lastModified,
      ObjectAttributes attributes,
      List<Long> partSizes,
      String kmsKeyArn) {
    this(size, etag, lastModified, attributes, partSizes, kmsKeyArn, null, null);
  }

  public ObjectInfo(long size, ETag etag, Instant lastModified, ObjectAttributes attributes) {
    this(size, etag, lastModified, attributes, List.of(), null);
  }

  /** How many parts S3 reports for this object: 1 for an object written in one piece. */
  public int partsCount() {
    return partSizes.isEmpty() ? 1 : partSizes.size();
  }
}
