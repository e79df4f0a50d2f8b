package fr.coffre.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The last file an export writes: the size and SHA-256 of every other file of the export. Its
 * presence says the export finished; {@link #verify} checks a directory against it.
 *
 * @param files by path relative to the export root, with {@code /} separators
 */
public record Manifest(String format, String createdAt, Map<String, FileEntry> files) {

  /** A file's size in bytes and SHA-256 (hex). */
  public record FileEntry(long size, String sha256) {}

  /** Files of an export directory that the manifest does not cover: they change after it. */
  static final Set<String> NOT_LISTED =
      Set.of(
          ExportLayout.MANIFEST_FILE,
          ExportLayout.IMPORT_STATE_FILE,
          ExportLayout.IMPORT_REPORT_FILE);

  public Manifest {
    files = new TreeMap<>(files);
  }

  public static Manifest read(Path file) throws IOException {
    Manifest m = Json.MAPPER.readValue(file.toFile(), Manifest.class);
    if (!ExportLayout.FORMAT.equals(m.format())) {
      throw new ExportException(
          file + ": format " + m.format() + ", this tool reads " + ExportLayout.FORMAT);
    }
    return m;
  }

  /** The relative paths of every file under root that a manifest must list. */
  static List<String> listedFiles(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(rel -> !NOT_LISTED.contains(rel))
          .sorted()
          .forEach(out::add);
    }
    return out;
  }

  static FileEntry hash(Path file) throws IOException {
    MessageDigest md = ExportLayout.sha256();
    long size = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
        size += n;
      }
    }
    return new FileEntry(size, HexFormat.of().formatHex(md.digest()));
  }

  /**
   * Checks every file of an export against its manifest: missing, changed (size or SHA-256) and
   * unexpected files. An empty list means intact.
   */
  public static List<String> verify(Path root) throws IOException {
    Path file = root.resolve(ExportLayout.MANIFEST_FILE);
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      problems.add(root + ": not a directory");
      return problems;
    }
    if (!Files.exists(file)) {
      problems.add(
          ExportLayout.MANIFEST_FILE
              + ": missing (the export did not finish: run coffre export again on this directory)");
      return problems;
    }
    Manifest manifest = read(file);
    for (Map.Entry<String, FileEntry> e : manifest.files().entrySet()) {
      Path p = root.resolve(e.getKey()).normalize();
      if (!p.startsWith(root.normalize())) {
        problems.add(e.getKey() + ": listed path leaves the export directory");
        continue;
      }
      if (!Files.isRegularFile(p)) {
        problems.add(e.getKey() + ": missing");
        continue;
      }
      FileEntry actual = hash(p);
      if (actual.size() != e.getValue().size()) {
        problems.add(
            e.getKey()
                + ": size "
                + actual.size()
                + " bytes, manifest says "
                + e.getValue().size());
      } else if (!actual.sha256().equals(e.getValue().sha256())) {
        problems.add(
            e.getKey()
                + ": SHA-256 "
                + actual.sha256()
                + ", manifest says "
                + e.getValue().sha256());
      }
    }
    for (String rel : listedFiles(root)) {
      if (!manifest.files().containsKey(rel)) {
        problems.add(rel + ": not in the manifest");
      }
    }
    return problems;
  }
}
