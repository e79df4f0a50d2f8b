package fr.coffre.migrate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * What an export records of a version beyond its bytes: system and user metadata (from the GET's
 * headers), checksums, tags, Object Lock retention and legal hold.
 */
final class ObjectDetails {
  private ObjectDetails() {}

  static ObjectEntry describe(
      S3Client s3,
      String bucket,
      ObjectEntry listed,
      GetObjectResponse head,
      String content,
      long size,
      String sha256,
      boolean lockEnabled) {
    String version = Exporter.versionParameter(listed);
    Map<String, String> tags = new TreeMap<>();
    try {
      for (Tag t :
          s3.getObjectTagging(b -> b.bucket(bucket).key(listed.key()).versionId(version))
              .tagSet()) {
        tags.put(t.key(), t.value());
      }
    } catch (S3Exception e) {
      if (!BucketSettings.meansAbsent(e)) {
        throw e;
      }
    }
    ObjectEntry.Retention retention = null;
    String legalHold = null;
    if (lockEnabled) {
      try {
        var r =
            s3.getObjectRetention(b -> b.bucket(bucket).key(listed.key()).versionId(version))
                .retention();
        if (r != null && r.modeAsString() != null && r.retainUntilDate() != null) {
          retention = new ObjectEntry.Retention(r.modeAsString(), r.retainUntilDate().toString());
        }
      } catch (S3Exception e) {
        if (!BucketSettings.meansAbsent(e)) {
          throw e;
        }
      }
      try {
        var h =
            s3.getObjectLegalHold(b -> b.bucket(bucket).key(listed.key()).versionId(version))
                .legalHold();
        legalHold = h == null ? null : h.statusAsString();
      } catch (S3Exception e) {
        if (!BucketSettings.meansAbsent(e)) {
          throw e;
        }
      }
    }
    Map<String, String> checksums = new LinkedHashMap<>();
    put(checksums, "CRC32", head.checksumCRC32());
    put(checksums, "CRC32C", head.checksumCRC32C());
    put(checksums, "CRC64NVME", head.checksumCRC64NVME());
    put(checksums, "SHA1", head.checksumSHA1());
    put(checksums, "SHA256", head.checksumSHA256());
    return new ObjectEntry(
        listed.key(),
        listed.versionId(),
        listed.latest(),
        false,
        listed.lastModified(),
        head.eTag() != null ? head.eTag() : listed.etag(),
        size,
        listed.storageClass(),
        content,
        sha256,
        head.contentType(),
        head.cacheControl(),
        head.contentDisposition(),
        head.contentEncoding(),
        head.contentLanguage(),
        head.expiresString(),
        head.hasMetadata() && !head.metadata().isEmpty() ? new TreeMap<>(head.metadata()) : null,
        tags.isEmpty() ? null : tags,
        checksums.isEmpty() ? null : checksums,
        head.checksumTypeAsString(),
        retention,
        legalHold);
  }

  private static void put(Map<String, String> map, String name, @Nullable String value) {
    if (value != null && !value.isEmpty()) {
      map.put(name, value);
    }
  }
}
