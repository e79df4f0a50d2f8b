package fr.coffre.migrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

/**
 * One exported version written to a target: a PutObject with its content, system and user metadata
 * and recorded checksum, then its tags, retention and legal hold, each in a call of its own so that
 * a target refusing one of them still gets the rest (and the refusal is kept). A delete marker is a
 * DeleteObject of the key.
 */
final class VersionUpload {
  private final S3Client s3;
  private final ExportLayout layout;
  private final Progress progress;

  VersionUpload(S3Client s3, ExportLayout layout, Progress progress) {
    this.s3 = s3;
    this.layout = layout;
    this.progress = progress;
  }

  /**
   * Writes one version (or delete marker) to the target bucket. Returns what the target refused for
   * it, or null when it refused the version itself (that refusal is added to {@code failed}).
   */
  @Nullable List<Refusal> upload(String bucket, ObjectEntry e, List<Refusal> failed)
      throws IOException {
    List<Refusal> refused = new ArrayList<>();
    if (e.deleteMarker()) {
      try {
        s3.deleteObject(d -> d.bucket(bucket).key(e.key()));
        return refused;
      } catch (S3Exception x) {
        failed.add(Refusal.of(bucket, e.key(), e.versionId(), "deleteObject", x));
        return null;
      }
    }
    String content = e.content();
    if (content == null) {
      throw new ExportException(bucket + " " + e.key() + ": entry without a content file");
    }
    Path file = layout.resolve(content);
    PutObjectRequest.Builder put =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(e.key())
            .contentType(e.contentType())
            .cacheControl(e.cacheControl())
            .contentDisposition(e.contentDisposition())
            .contentEncoding(e.contentEncoding())
            .contentLanguage(e.contentLanguage());
    if (e.metadata() != null) {
      put.metadata(e.metadata());
    }
    Instant expires = httpDate(e.expires());
    if (expires != null) {
      put.expires(expires);
    }
    checksum(put, e.checksums());
    String newVersion;
    try {
      newVersion = s3.putObject(put.build(), RequestBody.fromFile(file)).versionId();
      progress.bytes(Files.size(file));
    } catch (S3Exception x) {
      failed.add(Refusal.of(bucket, e.key(), e.versionId(), "putObject", x));
      return null;
    }
    String v = newVersion;
    if (e.tags() != null && !e.tags().isEmpty()) {
      List<Tag> tags = new ArrayList<>();
      e.tags().forEach((k, val) -> tags.add(Tag.builder().key(k).value(val).build()));
      attempt(
          refused,
          bucket,
          e,
          "putObjectTagging",
          () ->
              s3.putObjectTagging(
                  t ->
                      t.bucket(bucket)
                          .key(e.key())
                          .versionId(v)
                          .tagging(Tagging.builder().tagSet(tags).build())));
    }
    ObjectEntry.Retention r = e.retention();
    if (r != null) {
      attempt(
          refused,
          bucket,
          e,
          "putObjectRetention",
          () ->
              s3.putObjectRetention(
                  p ->
                      p.bucket(bucket)
                          .key(e.key())
                          .versionId(v)
                          .retention(
                              x ->
                                  x.mode(r.mode())
                                      .retainUntilDate(Instant.parse(r.retainUntil())))));
    }
    if ("ON".equals(e.legalHold())) {
      attempt(
          refused,
          bucket,
          e,
          "putObjectLegalHold",
          () ->
              s3.putObjectLegalHold(
                  p -> p.bucket(bucket).key(e.key()).versionId(v).legalHold(h -> h.status("ON"))));
    }
    return refused;
  }

  private void attempt(
      List<Refusal> refused, String bucket, ObjectEntry e, String operation, Runnable call) {
    try {
      call.run();
    } catch (S3Exception x) {
      refused.add(Refusal.of(bucket, e.key(), e.versionId(), operation, x));
    }
  }

  /** The exported checksum, sent as is so that the target checks it and keeps the same value. */
  private static void checksum(PutObjectRequest.Builder put, @Nullable Map<String, String> sums) {
    if (sums == null) {
      return;
    }
    for (Map.Entry<String, String> s : sums.entrySet()) {
      if (s.getValue().contains("-")) {
        continue; // a multipart object's checksum of checksums: no single PUT reproduces it
      }
      switch (s.getKey()) {
        case "CRC32" -> put.checksumCRC32(s.getValue());
        case "CRC32C" -> put.checksumCRC32C(s.getValue());
        case "CRC64NVME" -> put.checksumCRC64NVME(s.getValue());
        case "SHA1" -> put.checksumSHA1(s.getValue());
        case "SHA256" -> put.checksumSHA256(s.getValue());
        default -> {
          continue;
        }
      }
      return;
    }
  }

  private static @Nullable Instant httpDate(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
