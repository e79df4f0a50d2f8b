package fr.coffre.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

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
  private final VersionUpload upload;
  private final long maxUploads;
  private final List<Refusal> refusals = new ArrayList<>();
  private long imported;
  private long skipped;

  /** What a run did. */
  public record Result(
      int buckets, long imported, long skipped, List<Refusal> refusals, boolean complete) {}

  /** Thrown at --max-objects: the run stops there, as an interrupted one would. */
  private static final class StoppedEarly extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoppedEarly() {
      super("stopped at --max-objects", null, false, false);
    }
  }

  /** The report file: every refusal of this and earlier runs into the same target. */
  public record Report(
      String format, String target, String finishedAt, long imported, List<Refusal> refusals) {}

  /**
   * @param maxUploads stop after this many uploads (a test's interruption); 0: no limit
   */
  public Importer(
      S3Client s3,
      Path dir,
      String target,
      Map<String, String> bucketMap,
      Progress progress,
      long maxUploads) {
    this.maxUploads = maxUploads;
    this.s3 = s3;
    this.layout = new ExportLayout(dir.toAbsolutePath().normalize());
    this.target = target;
    this.bucketMap = bucketMap;
    this.progress = progress;
    this.upload = new VersionUpload(s3, layout, progress);
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
    boolean complete = true;
    try (ImportState state = new ImportState(layout.importStateFile(), target)) {
      for (Bucket b : buckets) {
        importBucket(b, state);
      }
    } catch (StoppedEarly e) {
      complete = false;
    } finally {
      progress.finish();
      Json.writeAtomically(
          layout.importReportFile(),
          new Report(ExportLayout.FORMAT, target, Instant.now().toString(), imported, refusals));
    }
    return new Result(buckets.size(), imported, skipped, List.copyOf(refusals), complete);
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
        if (maxUploads > 0 && imported >= maxUploads) {
          throw new StoppedEarly();
        }
        List<Refusal> refused = upload.upload(b.target(), e, refusals);
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

  private void refuse(
      String bucket, @Nullable String key, @Nullable String version, String op, S3Exception e) {
    refusals.add(Refusal.of(bucket, key, version, op, e));
  }
}
