package fr.coffre.metadata;

import fr.coffre.core.BlobId;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.ETag;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.UploadRecord;
import java.time.Instant;
import java.util.List;

/** Records the contract suites store: small, valid, and each with a blob of its own. */
final class TestRecords {
  private TestRecords() {}

  /** A 32-hex-digit ETag value made from {@code i}. */
  static String tag(int i) {
    return String.format("%032x", i);
  }

  /** A 3-byte object under the data key reference {@code file:test}, with one fresh blob. */
  static ObjectRecord object(BucketName bucket, String key, String etagHex) {
    return new ObjectRecord(
        bucket,
        new ObjectKey(key),
        3,
        new ETag(etagHex),
        Instant.ofEpochMilli(1_700_000_000_123L),
        "file:test",
        new byte[] {1, 2},
        List.of(new BlobSlice(BlobId.random(), 3)),
        new byte[] {9});
  }

  static UploadRecord upload(BucketName bucket, String id, String key, long initiatedMs) {
    return new UploadRecord(
        id,
        bucket,
        new ObjectKey(key),
        Instant.ofEpochMilli(initiatedMs),
        "file:test",
        new byte[] {1},
        new byte[] {2});
  }
}
