package fr.coffre.server;

import fr.coffre.crypto.BackupCipher;
import fr.coffre.metadata.PostgresUrl;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code coffre backup verify} and {@code coffre restore}. Verification trusts nothing it has not
 * checked: the passphrase against the key check value, the manifest against its MAC, each file's
 * size and SHA-256, then every byte decrypted (each segment's GCM tag) and hashed again. A restore
 * verifies the whole backup before it writes anything, writes only into an empty directory, and
 * leaves a {@link RestoreMarker} for the first start.
 */
public final class BackupRestore {
  /** The configuration file of the backup, written beside the restored data. */
  public static final String RESTORED_CONFIG = "coffre.restored.yaml";

  private BackupRestore() {}

  /** Checks a backup end to end; returns its description, or throws BackupException saying why. */
  public static List<String> verify(Path dir, char[] passphrase) throws IOException {
    Opened b = open(dir, passphrase);
    for (BackupManifest.Entry e : b.manifest().entries()) {
      decrypt(dir, b.cipher(), e, OutputStream.nullOutputStream());
    }
    List<String> lines = describe(b.manifest(), dir);
    lines.add(
        "verified: the passphrase, the manifest's MAC, and every entry's size, SHA-256 and tags");
    return lines;
  }

  /**
   * Restores {@code from} into the empty (or absent) data directory {@code data}: the metadata
   * (into SQLite there, or into the empty PostgreSQL database {@code metadata}), the key material
   * and audit trail, and the configuration file as {@link #RESTORED_CONFIG}.
   *
   * @param metadataUrl for a PostgreSQL backup, the empty database to restore into
   * @param password its password, or null
   */
  public static List<String> restore(
      Path from,
      Path data,
      char[] passphrase,
      @Nullable String metadataUrl,
      @Nullable String password,
      Clock clock)
      throws IOException {
    ServerConfig.Metadata metadata;
    try {
      metadata =
          metadataUrl == null
              ? null
              : new ServerConfig.Metadata(PostgresUrl.parse(metadataUrl), password);
    } catch (IllegalArgumentException e) {
      throw new BackupException("--metadata: " + e.getMessage(), e);
    }
    Path target = data.toAbsolutePath().normalize();
    Backups.requireEmpty(target, "--data");
    Opened b = open(from, passphrase);
    BackupManifest m = b.manifest();
    boolean pg = MetadataDump.POSTGRESQL.equals(m.metadata());
    if (pg && metadata == null) {
      throw new BackupException(
          "this backup's metadata is a PostgreSQL dump: give --metadata postgresql://... naming an"
              + " empty database to restore it into");
    }
    if (!pg && metadata != null) {
      throw new BackupException(
          "this backup's metadata is SQLite; Coffre cannot move it to PostgreSQL: restore without"
              + " --metadata");
    }
    for (BackupManifest.Entry e : m.entries()) { // all checked before anything is written
      decrypt(from, b.cipher(), e, OutputStream.nullOutputStream());
    }
    boolean existed = Files.exists(target);
    Files.createDirectories(target);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
    try {
      BackupManifest.Entry meta = required(m, Backups.METADATA);
      if (pg) {
        Path dump = Files.createTempFile(target, Backups.SCRATCH_PREFIX, ".pgdump");
        try {
          try (OutputStream out = Files.newOutputStream(dump)) {
            decrypt(from, b.cipher(), meta, out);
          }
          MetadataDump.pgRestore(metadata, dump);
        } finally {
          Files.deleteIfExists(dump);
        }
      } else {
        writeFile(target.resolve(MetadataPin.SQLITE_FILE), from, b.cipher(), meta);
      }
      BackupManifest.Entry files = required(m, Backups.FILES);
      int[] count = new int[1];
      decryptWith(from, b.cipher(), files, in -> count[0] = BackupFiles.unzip(in, target));
      BackupManifest.Entry config = m.entry(Backups.CONFIG);
      if (config != null) {
        writeFile(target.resolve(RESTORED_CONFIG), from, b.cipher(), config);
      }
      byte[] manifestBytes = Files.readAllBytes(from.resolve(BackupManifest.FILE));
      RestoreMarker.write(
          target,
          new RestoreMarker(
              m.created(),
              clock.instant().toString(),
              from.toAbsolutePath().toString(),
              HexFormat.of().formatHex(Backups.sha256().digest(manifestBytes)),
              m.blobs().count()));
      Backups.forceDirectory(target);
      List<String> lines = new ArrayList<>();
      lines.add("restored into " + target + " the backup of " + m.created());
      lines.add(
          "  metadata: "
              + (pg ? "pg_restore into " + metadata.url() : target.resolve(MetadataPin.SQLITE_FILE))
              + " ("
              + m.blobs().count()
              + " blobs referenced)");
      lines.add("  data directory files: " + count[0] + " (keys/, audit/, ...)");
      if (config != null) {
        lines.add(
            "  configuration file: "
                + target.resolve(RESTORED_CONFIG)
                + " (review it, then start with --config)");
      }
      lines.add("start the server on " + target + " with the same volumes:");
      for (BackupManifest.Volume v : m.volumes()) {
        lines.add("  volume " + v.name() + " (site " + v.site() + ") at " + v.path());
        Path old = Path.of(v.path());
        Path source = Path.of(m.dataDir());
        if (old.startsWith(source)) {
          lines.add(
              "    it was inside the old data directory: move or link it to "
                  + target.resolve(source.relativize(old))
                  + " before starting");
        }
      }
      lines.add(
          "blobs on the volumes that the restored metadata does not reference (written after the"
              + " backup) are kept and listed at the first start ("
              + RestoreMarker.UNREFERENCED
              + "), never collected while that list exists");
      return lines;
    } catch (IOException | RuntimeException e) {
      Backups.clear(target, existed); // it was empty: leave nothing half-restored
      throw e;
    }
  }

  /** A verified manifest and the keys that opened it. */
  private record Opened(BackupManifest manifest, BackupCipher cipher) {}

  private static Opened open(Path dir, char[] passphrase) throws IOException {
    byte[] json;
    String mac;
    try {
      json = Files.readAllBytes(dir.resolve(BackupManifest.FILE));
      mac = Files.readString(dir.resolve(BackupManifest.MAC_FILE), StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new BackupException(
          dir
              + " is not a complete backup: "
              + e.getFile()
              + " is missing (an interrupted backup?)");
    }
    BackupManifest m;
    BackupCipher cipher;
    try {
      m = BackupManifest.parse(json);
      cipher = BackupCipher.derive(passphrase, m.kdf());
    } catch (IllegalArgumentException e) {
      throw new BackupException(dir.resolve(BackupManifest.FILE) + ": " + e.getMessage(), e);
    }
    if (!cipher.keyCheck().equals(m.keyCheck())) {
      throw new BackupException(
          "wrong passphrase for the backup in " + dir + " (or its manifest was altered)");
    }
    if (!cipher.macMatches(json, mac.strip())) {
      throw new BackupException(
          dir.resolve(BackupManifest.FILE)
              + " was altered: its MAC does not match (the passphrase is right). Do not restore it.");
    }
    return new Opened(m, cipher);
  }

  private static BackupManifest.Entry required(BackupManifest m, String name) {
    BackupManifest.Entry e = m.entry(name);
    if (e == null) {
      throw new BackupException("the backup's manifest has no '" + name + "' entry");
    }
    return e;
  }

  interface Reader {
    void read(InputStream in) throws IOException;
  }

  private static void decrypt(
      Path dir, BackupCipher cipher, BackupManifest.Entry e, OutputStream out) throws IOException {
    decryptWith(dir, cipher, e, in -> in.transferTo(out));
  }

  /**
   * Hands {@code reader} the decrypted entry; throws BackupException when the file, its size, its
   * digests or a tag do not match the manifest.
   */
  private static void decryptWith(
      Path dir, BackupCipher cipher, BackupManifest.Entry e, Reader reader) throws IOException {
    if (e.file() == null || !e.file().matches("[a-z]{1,32}\\.enc")) {
      throw new BackupException("the manifest names an unexpected file: " + e.file());
    }
    Path file = dir.resolve(e.file());
    if (!Files.isRegularFile(file)) {
      throw new BackupException("backup entry " + e.name() + ": " + file + " is missing");
    }
    long size = Files.size(file);
    if (size != e.encryptedSize()) {
      throw new BackupException(
          file + ": " + size + " bytes, the manifest says " + e.encryptedSize() + ": altered");
    }
    MessageDigest outer = Backups.sha256();
    MessageDigest inner = Backups.sha256();
    long[] clear = new long[1];
    try (InputStream raw = new DigestInputStream(Files.newInputStream(file), outer);
        InputStream dec = new DigestInputStream(cipher.decrypting(raw, e.name()), inner)) {
      reader.read(
          new FilterInputStream(dec) {
            @Override
            public int read() throws IOException {
              int b = super.read();
              if (b >= 0) {
                clear[0]++;
              }
              return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              int n = super.read(b, off, len);
              if (n > 0) {
                clear[0] += n;
              }
              return n;
            }
          });
      dec.transferTo(OutputStream.nullOutputStream());
    } catch (IOException x) {
      if (x instanceof FileSystemException) {
        throw x;
      }
      throw new BackupException(
          file + " fails its authentication (altered, truncated or swapped): " + x.getMessage(), x);
    }
    HexFormat hex = HexFormat.of();
    String outerHex = hex.formatHex(outer.digest());
    if (!outerHex.equals(e.encryptedSha256())) {
      throw new BackupException(
          file + ": SHA-256 " + outerHex + ", the manifest says " + e.encryptedSha256());
    }
    String innerHex = hex.formatHex(inner.digest());
    if (clear[0] != e.size() || !innerHex.equals(e.sha256())) {
      throw new BackupException(
          "backup entry "
              + e.name()
              + " decrypts to "
              + clear[0]
              + " bytes of SHA-256 "
              + innerHex
              + ", the manifest says "
              + e.size()
              + " bytes of "
              + e.sha256());
    }
  }

  private static void writeFile(Path dest, Path from, BackupCipher cipher, BackupManifest.Entry e)
      throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            dest,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      decrypt(from, cipher, e, Channels.newOutputStream(ch));
      ch.force(true);
    }
  }

  /** The manifest for the operator: when, what, which blobs and volumes, each entry. */
  static List<String> describe(BackupManifest m, Path dir) {
    List<String> lines = new ArrayList<>();
    lines.add("backup " + dir + " of " + m.created() + " (format " + m.format() + ")");
    lines.add(
        "  metadata: "
            + m.metadata()
            + (m.databaseId() == null ? "" : " database " + m.databaseId())
            + "; "
            + m.blobs().count()
            + " blobs referenced (blob set SHA-256 "
            + m.blobs().sha256()
            + ")");
    lines.add("  buckets by class: " + m.classes());
    lines.add("  destination checked: " + m.destination());
    for (BackupManifest.Volume v : m.volumes()) {
      lines.add("  volume (not in the backup) " + v.name() + " site " + v.site() + ": " + v.path());
    }
    for (BackupManifest.Entry e : m.entries()) {
      lines.add(
          "  " + e.file() + ": " + e.content() + ", " + e.size() + " bytes, SHA-256 " + e.sha256());
    }
    return lines;
  }
}
