package fr.coffre.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One uploaded part of a multipart upload: a durable blob, the MD5 of its plaintext and, when the
 * upload chose a checksum algorithm, the part's base64 checksum (else null).
 */
public record PartRecord(
    String uploadId,
    int partNumber,
    BlobSlice blob,
    ETag etag,
    Instant lastModified,
    @Nullable String checksum) {
  public static final int MAX_PART_NUMBER = 10_000;

  public PartRecord {
    if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
      throw new InvalidArgumentException(
          "Part number must be an integer between 1 and 10000, inclusive");
    }
  }
}
