package fr.coffre.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Exports buckets to a directory (docs/export-format.md), resumably: a run on a directory that an
 * earlier run left keeps every version it already holds unchanged (same version id, ETag, last
 * modified and size, content file present with its size) and fetches the rest. The manifest is
 * written last, so its presence says the export finished.
 */
public final class Exporter {
  private final S3Client s3;
  private final ExportLayout layout;
  private final String endpoint;
  private final Progress progress;
  private final long maxObjects;
  private long fetched;
  private long kept;
  private long bytesFetched;

  /** What a run did; {@code complete} is false when it stopped early (--max-objects). */
  public record Result(
      int buckets, long versions, long fetched, long kept, long bytesFetched, boolean complete) {}

  /**
   * @param maxObjects stop after fetching this many objects (a test's interruption); 0: no limit
   */
  public Exporter(S3Client s3, Path dir, String endpoint, Progress progress, long maxObjects) {
    this.s3 = s3;
    this.layout = new ExportLayout(dir.toAbsolutePath().normalize());
    this.endpoint = endpoint;
    this.progress = progress;
    this.maxObjects = maxObjects;
  }

  public Result run(List<String> wanted) throws IOException {
    Path root = layout.root();
    Files.createDirectories(root);
    // From here on, the directory is an export in progress until the manifest is written again.
    Files.deleteIfExists(layout.manifestFile());

    Map<String, @Nullable Instant> buckets = new LinkedHashMap<>();
    if (wanted.isEmpty()) {
      for (Bucket b : s3.listBucketsPaginator().buckets()) {
        buckets.put(b.name(), b.creationDate());
      }
    } else {
      for (String name : wanted) {
        try {
          s3.headBucket(b -> b.bucket(name));
        } catch (S3Exception e) {
          throw new ExportException(
              "bucket " + name + ": " + BucketSettings.code(e) + " (" + e.statusCode() + ")");
        }
        buckets.put(name, null);
      }
    }

    List<Plan> plans = new ArrayList<>();
    long objectsToFetch = 0;
    long bytesToFetch = 0;
    long versions = 0;
    for (Map.Entry<String, @Nullable Instant> b : buckets.entrySet()) {
      Plan plan = plan(b.getKey(), b.getValue());
      plans.add(plan);
      versions += plan.listed.size();
      for (ObjectEntry e : plan.listed) {
        if (!e.deleteMarker() && plan.reusable(e) == null) {
          objectsToFetch++;
          bytesToFetch += e.size() == null ? 0 : e.size();
        }
      }
    }
    progress.plan(objectsToFetch, bytesToFetch);

    for (Plan plan : plans) {
      if (!exportObjects(plan)) {
        progress.finish();
        return new Result(plans.size(), versions, fetched, kept, bytesFetched, false);
      }
    }
    progress.finish();

    List<BucketExport.BucketRef> refs = new ArrayList<>();
    for (Plan plan : plans) {
      refs.add(new BucketExport.BucketRef(plan.bucket, ExportLayout.bucketDir(plan.bucket)));
    }
    Json.writeAtomically(
        layout.exportFile(),
        new BucketExport.Summary(
            ExportLayout.FORMAT, "coffre export", endpoint, Instant.now().toString(), refs));
    writeManifest(plans);
    return new Result(plans.size(), versions, fetched, kept, bytesFetched, true);
  }

  /** A bucket's settings, its listing and what an earlier run already holds. */
  private final class Plan {
    final String bucket;
    final String dir;
    final BucketExport export;
    final List<ObjectEntry> listed;
    final Map<String, ObjectEntry> known;

    Plan(
        String bucket,
        BucketExport export,
        List<ObjectEntry> listed,
        Map<String, ObjectEntry> known) {
      this.bucket = bucket;
      this.dir = ExportLayout.bucketDir(bucket);
      this.export = export;
      this.listed = listed;
      this.known = known;
    }

    /** The entry an earlier run wrote for this listed version, if it still holds. */
    @Nullable ObjectEntry reusable(ObjectEntry listedEntry) {
      ObjectEntry k = known.get(id(listedEntry));
      if (k == null || !k.sameVersionAs(listedEntry)) {
        return null;
      }
      if (k.deleteMarker()) {
        return k;
      }
      if (k.content() == null || k.sha256() == null) {
        return null;
      }
      Path content = layout.resolve(k.content());
      try {
        return Files.isRegularFile(content) && k.size() != null && Files.size(content) == k.size()
            ? k
            : null;
      } catch (IOException e) {
        return null;
      }
    }
  }

  private static String id(ObjectEntry e) {
    return e.key() + '\0' + e.versionId();
  }

  private Plan plan(String bucket, @Nullable Instant created) throws IOException {
    Map<String, JsonNode> settings = new LinkedHashMap<>();
    Map<String, String> absent = new LinkedHashMap<>();
    for (BucketSettings s : BucketSettings.values()) {
      try {
        JsonNode value = s.read(s3, bucket);
        if (value == null) {
          absent.put(s.jsonName, "none");
        } else {
          settings.put(s.jsonName, value);
        }
      } catch (S3Exception e) {
        if (!BucketSettings.meansAbsent(e)) {
          throw e;
        }
        absent.put(s.jsonName, BucketSettings.code(e));
      }
    }
    BucketExport export =
        new BucketExport(
            ExportLayout.FORMAT,
            bucket,
            created == null ? null : created.toString(),
            settings,
            absent);
    String dir = ExportLayout.bucketDir(bucket);
    Json.writeAtomically(layout.resolve(dir + "/" + ExportLayout.BUCKET_FILE), export);

    Map<String, ObjectEntry> known = new HashMap<>();
    for (String f : List.of(ExportLayout.OBJECTS_FILE, ExportLayout.OBJECTS_PARTIAL_FILE)) {
      for (ObjectEntry e : ObjectsFile.read(layout.resolve(dir + "/" + f))) {
        known.put(id(e), e);
      }
    }
    return new Plan(bucket, export, Listing.versions(s3, bucket), known);
  }

  /** Fetches what is missing; false when it stopped at --max-objects. */
  private boolean exportObjects(Plan plan) throws IOException {
    Path partial = layout.resolve(plan.dir + "/" + ExportLayout.OBJECTS_PARTIAL_FILE);
    boolean lock = plan.export.objectLockEnabled();
    List<ObjectEntry> done = new ArrayList<>();
    try (BufferedWriter log =
        Files.newBufferedWriter(
            partial,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND)) {
      for (ObjectEntry listed : plan.listed) {
        ObjectEntry entry = plan.reusable(listed);
        if (entry != null) {
          kept++;
          done.add(entry.withLatest(listed.latest()));
          continue;
        }
        if (maxObjects > 0 && fetched >= maxObjects) {
          return false;
        }
        entry = listed.deleteMarker() ? listed : fetch(plan.bucket, listed, lock);
        if (!listed.deleteMarker()) {
          fetched++;
          progress.objectDone();
        }
        done.add(entry);
        log.write(Json.MAPPER.writeValueAsString(entry));
        log.newLine();
        log.flush();
      }
    }
    ObjectsFile.write(layout.resolve(plan.dir + "/" + ExportLayout.OBJECTS_FILE), done);
    Files.deleteIfExists(partial);
    removeOrphans(plan.dir, done);
    return true;
  }

  private ObjectEntry fetch(String bucket, ObjectEntry listed, boolean lock) throws IOException {
    String relative = ExportLayout.contentPath(bucket, listed.key(), listed.versionId());
    Path target = layout.resolve(relative);
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(target.getFileName() + ".part");
    MessageDigest sha = ExportLayout.sha256();
    long size = 0;
    GetObjectResponse head;
    try (ResponseInputStream<GetObjectResponse> in =
            s3.getObject(
                b ->
                    b.bucket(bucket)
                        .key(listed.key())
                        .versionId(versionParameter(listed))
                        .checksumMode("ENABLED"));
        OutputStream out = Files.newOutputStream(tmp)) {
      head = in.response();
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        sha.update(buf, 0, n);
        size += n;
        progress.bytes(n);
      }
    }
    Json.fsync(tmp);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    bytesFetched += size;
    return ObjectDetails.describe(
        s3,
        bucket,
        listed,
        head,
        relative,
        size,
        java.util.HexFormat.of().formatHex(sha.digest()),
        lock);
  }

  /**
   * The versionId to ask for: none for a current "null" version, so that servers without versions
   * (which list every object as "null") are asked a plain GET.
   */
  static @Nullable String versionParameter(ObjectEntry e) {
    return "null".equals(e.versionId()) && e.latest() ? null : e.versionId();
  }

  /** Content files of versions no longer listed (deleted since the earlier run). */
  private void removeOrphans(String dir, List<ObjectEntry> entries) throws IOException {
    Path content = layout.resolve(dir + "/content");
    if (!Files.isDirectory(content)) {
      return;
    }
    Set<Path> wanted = new HashSet<>();
    for (ObjectEntry e : entries) {
      if (e.content() != null) {
        wanted.add(layout.resolve(e.content()));
      }
    }
    List<Path> orphans;
    try (Stream<Path> walk = Files.walk(content)) {
      orphans = walk.filter(Files::isRegularFile).filter(p -> !wanted.contains(p)).toList();
    }
    for (Path p : orphans) {
      Files.delete(p);
    }
  }

  private void writeManifest(List<Plan> plans) throws IOException {
    // Leftovers of an interrupted run (temporary files of atomic writes) are not part of it.
    List<Path> leftovers;
    try (Stream<Path> walk = Files.walk(layout.root())) {
      leftovers =
          walk.filter(Files::isRegularFile)
              .filter(
                  p -> {
                    String name = p.getFileName().toString();
                    return name.endsWith(".tmp")
                        || name.endsWith(".part")
                        || name.equals(ExportLayout.OBJECTS_PARTIAL_FILE);
                  })
              .toList();
    }
    for (Path p : leftovers) {
      Files.delete(p);
    }
    Map<String, Manifest.FileEntry> trusted = new HashMap<>();
    for (Plan plan : plans) {
      for (ObjectEntry e :
          ObjectsFile.read(layout.resolve(plan.dir + "/" + ExportLayout.OBJECTS_FILE))) {
        if (e.content() != null && e.sha256() != null && e.size() != null) {
          trusted.put(e.content(), new Manifest.FileEntry(e.size(), e.sha256()));
        }
      }
    }
    Map<String, Manifest.FileEntry> files = new TreeMap<>();
    for (String rel : Manifest.listedFiles(layout.root())) {
      Manifest.FileEntry t = trusted.get(rel);
      files.put(rel, t != null ? t : Manifest.hash(layout.resolve(rel)));
    }
    Json.writeAtomically(
        layout.manifestFile(), new Manifest(ExportLayout.FORMAT, Instant.now().toString(), files));
  }
}
