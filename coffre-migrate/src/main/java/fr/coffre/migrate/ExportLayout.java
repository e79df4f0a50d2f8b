package fr.coffre.migrate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Where each thing lives in an export directory (docs/export-format.md). Object keys never become
 * paths: a version's content file is named by the SHA-256 of its bucket, key and version id, so a
 * key with {@code ..}, {@code /}, a thousand characters or any Unicode maps to a safe, fixed-length
 * name; the key itself is kept in the bucket's JSON.
 */
public final class ExportLayout {
  /** The version of the export format, written in every JSON document as {@code format}. */
  public static final String FORMAT = "coffre-export/1";

  public static final String EXPORT_FILE = "export.json";
  public static final String MANIFEST_FILE = "manifest.json";
  public static final String IMPORT_STATE_FILE = "import-state.jsonl";
  public static final String IMPORT_REPORT_FILE = "import-report.json";
  public static final String BUCKET_FILE = "bucket.json";
  public static final String OBJECTS_FILE = "objects.jsonl";
  public static final String OBJECTS_PARTIAL_FILE = "objects.jsonl.partial";

  /** S3's rules for a bucket name: such a name is a safe directory name as it is. */
  private static final Pattern SAFE_BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private final Path root;

  public ExportLayout(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public Path exportFile() {
    return root.resolve(EXPORT_FILE);
  }

  public Path manifestFile() {
    return root.resolve(MANIFEST_FILE);
  }

  public Path importStateFile() {
    return root.resolve(IMPORT_STATE_FILE);
  }

  public Path importReportFile() {
    return root.resolve(IMPORT_REPORT_FILE);
  }

  /** The directory of a bucket, relative to the export root. */
  public static String bucketDir(String bucket) {
    return "buckets/"
        + (SAFE_BUCKET.matcher(bucket).matches() && !bucket.contains("..")
            ? bucket
            : "_" + sha256Hex(bucket).substring(0, 32));
  }

  /** The content file of one version, relative to the export root. */
  public static String contentPath(String bucket, String key, String versionId) {
    String hash = sha256Hex(bucket + '\0' + key + '\0' + versionId);
    return bucketDir(bucket) + "/content/" + hash.substring(0, 2) + "/" + hash;
  }

  public Path resolve(String relative) {
    Path p = root.resolve(relative).normalize();
    if (!p.startsWith(root.normalize())) {
      throw new ExportException("a path in the export leaves its directory: " + relative);
    }
    return p;
  }

  static String sha256Hex(String s) {
    return HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
