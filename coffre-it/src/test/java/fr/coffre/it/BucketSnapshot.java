package fr.coffre.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * What a bucket holds, described without ids or dates so that two servers can be compared: every
 * version with its bytes, metadata, tags and lock, and the bucket's settings.
 */
final class BucketSnapshot {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BucketSnapshot() {}

  private static String sha(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** Every version of a bucket, newest first per key, without ids or dates. */
  static List<String> versions(S3Client s3, String bucket, boolean lock) throws Exception {
    List<String> out = new ArrayList<>();
    var versions = new ArrayList<ObjectVersion>();
    var markers = new ArrayList<software.amazon.awssdk.services.s3.model.DeleteMarkerEntry>();
    for (var page : s3.listObjectVersionsPaginator(b -> b.bucket(bucket))) {
      versions.addAll(page.versions());
      markers.addAll(page.deleteMarkers());
    }
    Map<String, List<Map.Entry<Instant, String>>> byKey = new TreeMap<>();
    for (var m : markers) {
      byKey
          .computeIfAbsent(m.key(), k -> new ArrayList<>())
          .add(Map.entry(m.lastModified(), m.key() + " DELETE-MARKER latest=" + m.isLatest()));
    }
    for (ObjectVersion v : versions) {
      ResponseBytes<GetObjectResponse> got =
          s3.getObjectAsBytes(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId()));
      GetObjectResponse h = got.response();
      List<Tag> tags =
          new ArrayList<>(
              s3.getObjectTagging(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId()))
                  .tagSet());
      tags.sort(java.util.Comparator.comparing(Tag::key));
      String lockInfo = "";
      if (lock) {
        String retention;
        try {
          var r =
              s3.getObjectRetention(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId()))
                  .retention();
          retention = r.modeAsString() + " " + r.retainUntilDate();
        } catch (S3Exception e) {
          retention = "none";
        }
        String hold;
        try {
          hold =
              s3.getObjectLegalHold(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId()))
                  .legalHold()
                  .statusAsString();
        } catch (S3Exception e) {
          hold = "none";
        }
        lockInfo = " retention=" + retention + " hold=" + hold;
      }
      byKey
          .computeIfAbsent(v.key(), k -> new ArrayList<>())
          .add(
              Map.entry(
                  v.lastModified(),
                  v.key()
                      + " sha="
                      + sha(got.asByteArray())
                      + " latest="
                      + v.isLatest()
                      + " type="
                      + h.contentType()
                      + " cache="
                      + h.cacheControl()
                      + " disposition="
                      + h.contentDisposition()
                      + " language="
                      + h.contentLanguage()
                      + " meta="
                      + new TreeMap<>(h.metadata())
                      + " tags="
                      + tags
                      + lockInfo));
    }
    for (var rowsOfKey : byKey.values()) {
      rowsOfKey.sort(Map.Entry.<Instant, String>comparingByKey().reversed());
      rowsOfKey.forEach(r -> out.add(r.getValue()));
    }
    return out;
  }

  static String settings(S3Client s3, String bucket) {
    StringBuilder s = new StringBuilder();
    s.append("versioning=")
        .append(s3.getBucketVersioning(b -> b.bucket(bucket)).statusAsString())
        .append('\n');
    s.append("cors=").append(orNone(() -> s3.getBucketCors(b -> b.bucket(bucket)).corsRules()));
    s.append("\ntags=")
        .append(
            orNone(
                () -> {
                  var tags = new ArrayList<>(s3.getBucketTagging(b -> b.bucket(bucket)).tagSet());
                  tags.sort(java.util.Comparator.comparing(Tag::key));
                  return tags;
                }));
    s.append("\nlifecycle=")
        .append(orNone(() -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules()));
    s.append("\nlock=")
        .append(
            orNone(
                () ->
                    s3.getObjectLockConfiguration(b -> b.bucket(bucket))
                        .objectLockConfiguration()));
    s.append("\npolicy=")
        .append(
            orNone(
                () -> {
                  try {
                    return JSON.readTree(s3.getBucketPolicy(b -> b.bucket(bucket)).policy());
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                }));
    return s.toString();
  }

  private static Object orNone(Supplier<Object> read) {
    try {
      return read.get();
    } catch (S3Exception e) {
      return "none (" + e.awsErrorDetails().errorCode() + ")";
    }
  }
}
