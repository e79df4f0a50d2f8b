package fr.coffre.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
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
 * Imports an export directory into an S3 server. Per bucket: create it (with Object Lock when the
 * source had it), apply the settings an upload must find in place (versioning, encryption,
 * ownership), upload each key's versions oldest first so that the newest stays current, recreate
 * delete markers by deleting the key, then apply the settings that would have hindered the uploads
 * (lifecycle, default retention, policy...). Whatever the target refuses is collected as a {@link
 * Refusal}, never dropped. Versions already imported into the same target are skipped.
 */
public final class Importer {
  private final S3Client s3;
  private final ExportLayout layout;
  private final String target;
  private final Map<String, String> bucketMap;
  private final Progress progress;
  private final List<Refusal> refusals = new ArrayList<>();
  private long imported;
  private long skipped;

  /** What a run did. */
  public record Result(int buckets, long imported, long skipped, List<Refusal> refusals) {}

  /** The report file: every refusal of this and earlier runs into the same target. */
  public record Report(
      String format, String target, String finishedAt, long imported, List<Refusal> refusals) {}

  public Importer(
      S3Client s3, Path dir, String target, Map<String, String> bucketMap, Progress progress) {
    this.s3 = s3;
    this.layout = new ExportLayout(dir.toAbsolutePath().normalize());
    this.target = target;
    this.bucketMap = bucketMap;
    this.progress = progress;
  }

  public Result run() throws IOException {
    if (!Files.exists(layout.exportFile())) {
      throw new ExportException(
          layout.root() + ": not a finished export (no " + ExportLayout.EXPORT_FILE + ")");
    }
    if (!Files.exists(layout.manifestFile())) {
      throw new ExportException(
          layout.root()
              + ": the export did not finish (no "
              + ExportLayout.MANIFEST_FILE
              + "): run coffre export again on it first");
    }
    BucketExport.Summary summary =
        Json.MAPPER.readValue(layout.exportFile().toFile(), BucketExport.Summary.class);
    if (!ExportLayout.FORMAT.equals(summary.format())) {
      throw new ExportException(
          "export format " + summary.format() + ", this tool reads " + ExportLayout.FORMAT);
    }
    for (String source : bucketMap.keySet()) {
      if (summary.buckets().stream().noneMatch(b -> b.name().equals(source))) {
        throw new ExportException("--bucket-map " + source + "=...: no such bucket in the export");
      }
    }
    List<Bucket> buckets = new ArrayList<>();
    long objects = 0;
    long bytes = 0;
    for (BucketExport.BucketRef ref : summary.buckets()) {
      BucketExport export =
          Json.MAPPER.readValue(
              layout.resolve(ref.dir() + "/" + ExportLayout.BUCKET_FILE).toFile(),
              BucketExport.class);
      List<ObjectEntry> entries =
          ObjectsFile.read(layout.resolve(ref.dir() + "/" + ExportLayout.OBJECTS_FILE));
      buckets.add(new Bucket(export, bucketMap.getOrDefault(ref.name(), ref.name()), entries));
      for (ObjectEntry e : entries) {
        objects++;
        bytes += e.size() == null ? 0 : e.size();
      }
    }
    progress.plan(objects, bytes);
    try (ImportState state = new ImportState(layout.importStateFile(), target)) {
      for (Bucket b : buckets) {
        importBucket(b, state);
      }
    } finally {
      progress.finish();
      Json.writeAtomically(
          layout.importReportFile(),
          new Report(ExportLayout.FORMAT, target, Instant.now().toString(), imported, refusals));
    }
    return new Result(buckets.size(), imported, skipped, List.copyOf(refusals));
  }

  private record Bucket(BucketExport export, String target, List<ObjectEntry> entries) {}

  private void importBucket(Bucket b, ImportState state) throws IOException {
    String name = b.target();
    boolean lock = b.export().objectLockEnabled();
    if (!createBucket(name, lock)) {
      return; // nothing else can go in
    }
    Map<String, JsonNode> settings = b.export().settings();
    boolean versioned = false;
    if (b.export().versioned()) {
      // Enabled while the versions go in, even if the source had it suspended (set at the end).
      versioned =
          apply(name, BucketSettings.VERSIONING, Json.MAPPER.readTree("{\"Status\":\"Enabled\"}"));
    }
    for (BucketSettings s : BucketSettings.inPhase(BucketSettings.Phase.BEFORE_OBJECTS)) {
      if (s != BucketSettings.VERSIONING && settings.containsKey(s.jsonName)) {
        apply(name, s, settings.get(s.jsonName));
      }
    }
    importObjects(b, versioned, state);
    for (BucketSettings s : BucketSettings.inPhase(BucketSettings.Phase.AFTER_OBJECTS)) {
      JsonNode value = settings.get(s.jsonName);
      if (value != null && s == BucketSettings.POLICY) {
        value = renamedPolicy(value, b.export().name(), name);
      }
      if (value != null) {
        apply(name, s, value);
      }
    }
    JsonNode v = settings.get(BucketSettings.VERSIONING.jsonName);
    if (versioned && v != null && "Suspended".equals(v.path("Status").asText())) {
      apply(name, BucketSettings.VERSIONING, v);
    }
  }

  /**
   * A policy names its bucket in its resources: under --bucket-map they name the new one (a policy
   * may only speak of its own bucket).
   */
  static JsonNode renamedPolicy(JsonNode policy, String from, String to) {
    if (from.equals(to)) {
      return policy;
    }
    String text =
        policy
            .asText()
            .replace("arn:aws:s3:::" + from + "/", "arn:aws:s3:::" + to + "/")
            .replace("arn:aws:s3:::" + from + "\"", "arn:aws:s3:::" + to + "\"");
    return Json.MAPPER.getNodeFactory().textNode(text);
  }

  /**
   * Creates the bucket (already owned is fine: a resumed import). A target that refuses Object Lock
   * gets the bucket without it, and the refusal is reported.
   */
  private boolean createBucket(String name, boolean lock) {
    try {
      s3.createBucket(c -> c.bucket(name).objectLockEnabledForBucket(lock ? true : null));
      return true;
    } catch (S3Exception e) {
      if ("BucketAlreadyOwnedByYou".equals(BucketSettings.code(e))) {
        return true;
      }
      if (!lock || e.statusCode() == 409) {
        refuse(name, null, null, "createBucket", e);
        return false;
      }
      refuse(name, null, null, "objectLockEnabledForBucket", e);
      return createBucket(name, false);
    }
  }

  private boolean apply(String bucket, BucketSettings setting, JsonNode value) {
    try {
      setting.write(s3, bucket, value);
      return true;
    } catch (S3Exception e) {
      refuse(bucket, null, null, setting.jsonName, e);
      return false;
    }
  }

  private void importObjects(Bucket b, boolean versioned, ImportState state) throws IOException {
    List<ObjectEntry> entries = b.entries();
    int dropped = 0;
    for (int start = 0; start < entries.size(); ) {
      int end = start;
      while (end < entries.size() && entries.get(end).key().equals(entries.get(start).key())) {
        end++;
      }
      List<ObjectEntry> versions = new ArrayList<>(entries.subList(start, end));
      start = end;
      if (!versioned) {
        // Without versions on the target only the current state of the key can be kept.
        dropped += versions.size() - 1;
        versions = versions.stream().filter(ObjectEntry::latest).limit(1).toList();
        if (versions.isEmpty() || versions.getFirst().deleteMarker()) {
          continue;
        }
      }
      List<ObjectEntry> oldestFirst = new ArrayList<>(versions);
      Collections.reverse(oldestFirst);
      for (ObjectEntry e : oldestFirst) {
        ImportState.Done done = state.get(b.target(), e.key(), e.versionId());
        if (done != null) {
          skipped++;
          refusals.addAll(done.refusals());
          progress.objectDone();
          continue;
        }
        List<Refusal> refused = importVersion(b.target(), e);
        if (refused != null) {
          imported++;
          refusals.addAll(refused);
          state.record(new ImportState.Done(target, b.target(), e.key(), e.versionId(), refused));
        }
        progress.objectDone();
      }
    }
    if (dropped > 0) {
      refusals.add(
          new Refusal(
              b.target(),
              null,
              null,
              "versioning",
              "NoVersioning",
              dropped
                  + " noncurrent versions and delete markers not imported: the target bucket has"
                  + " no versioning"));
    }
  }

  /** Imports one version; what the target refused, or null when it refused the version itself. */
  private @Nullable List<Refusal> importVersion(String bucket, ObjectEntry e) throws IOException {
    List<Refusal> refused = new ArrayList<>();
    if (e.deleteMarker()) {
      try {
        s3.deleteObject(d -> d.bucket(bucket).key(e.key()));
        return refused;
      } catch (S3Exception x) {
        refuse(bucket, e.key(), e.versionId(), "deleteObject", x);
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
      refuse(bucket, e.key(), e.versionId(), "putObject", x);
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
      refused.add(refusal(bucket, e.key(), e.versionId(), operation, x));
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

  private void refuse(
      String bucket, @Nullable String key, @Nullable String version, String op, S3Exception e) {
    refusals.add(refusal(bucket, key, version, op, e));
  }

  private static Refusal refusal(
      String bucket, @Nullable String key, @Nullable String version, String op, S3Exception e) {
    String message =
        e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
            ? ""
            : e.awsErrorDetails().errorMessage();
    return new Refusal(bucket, key, version, op, BucketSettings.code(e), message);
  }
}
