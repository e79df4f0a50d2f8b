package fr.coffre.server;

import fr.coffre.core.BlobId;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.StorageFailureException;
import fr.coffre.crypto.BackupCipher;
import fr.coffre.crypto.SealedRootKey;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.metadata.PostgresMetadataStore;
import fr.coffre.metadata.SqliteMetadataStore;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code coffre backup}: a consistent, encrypted, verifiable copy of what a server needs besides
 * its blobs, taken while it runs (docs/backup.md). The steps: resolve the declared destination
 * against the placement configuration; snapshot the metadata into a scratch directory inside the
 * data directory (owner-only, so nothing leaves it in clear); read the buckets' classes from that
 * snapshot and refuse a destination one of them forbids, before anything is written there; then
 * encrypt the snapshot, the data directory's own files ({@link BackupFiles}) and the configuration
 * file into the backup directory, and write the manifest and its MAC last: a backup without its
 * manifest is incomplete, never mistaken for a good one. Verification and restore: {@link
 * BackupRestore}.
 */
public final class Backups {
  static final String SCRATCH_PREFIX = "backup.tmp-";
  static final String METADATA = "metadata";
  static final String FILES = "files";
  static final String CONFIG = "config";

  private Backups() {}

  /**
   * What to back up and where.
   *
   * @param config the server's configuration (data directory, metadata, placement)
   * @param configFile the configuration file to include, or null
   * @param out the backup directory: absent or empty
   * @param destination where the operator declares {@code out} is, checked against the classes
   * @param passphrase the backup passphrase (at least 12 characters)
   */
  public record Request(
      ServerConfig config,
      @Nullable Path configFile,
      Path out,
      BackupDestination destination,
      char[] passphrase) {}

  /** Takes a backup; returns what it holds, for the operator, one line each. */
  public static List<String> create(Request r, Clock clock) throws IOException {
    Path data = r.config().dataDir().toAbsolutePath().normalize();
    Path out = r.out().toAbsolutePath().normalize();
    checkPassphrase(r.passphrase());
    if (!Files.isDirectory(data.resolve("keys"))) {
      throw new BackupException(data + " is not a Coffre data directory (it has no keys/)");
    }
    if (out.startsWith(data)) {
      throw new BackupException(
          "--out " + out + " is inside the data directory: a backup must live elsewhere");
    }
    requireEmpty(out, "--out");
    ServerConfig.Cluster cluster = r.config().cluster();
    Placements placements =
        Placements.of(r.config().placement(), data, cluster == null ? null : cluster.node());
    BackupDestination destination = r.destination().resolve(placements);

    Path scratch =
        Files.createTempDirectory(
            data,
            SCRATCH_PREFIX,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try {
      String created = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
      ServerConfig.Metadata pg = r.config().metadata();
      Path dump = scratch.resolve(pg == null ? "metadata.db" : "metadata.pgdump");
      Snapshot snap;
      if (pg == null) {
        MetadataDump.sqlite(data, dump);
        try (MetadataStore store = SqliteMetadataStore.open(dump)) {
          snap = Snapshot.of(store, null);
        }
      } else {
        try (PostgresMetadataStore store = PostgresMetadataStore.open(pg.url(), pg.password())) {
          snap = Snapshot.of(store, store.databaseId());
          MetadataDump.pgDump(pg, dump);
        } catch (StorageFailureException e) {
          throw new BackupException(
              e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()), e);
        }
      }
      destination.check(placements, snap.bucketsByClass());

      boolean outExisted = Files.exists(out);
      try {
        Files.createDirectories(out);
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwx------"));
        BackupCipher.Kdf kdf = BackupCipher.Kdf.fresh();
        BackupCipher cipher = BackupCipher.derive(r.passphrase(), kdf);
        List<BackupManifest.Entry> entries = new ArrayList<>();
        String metaContent = pg == null ? "sqlite database (VACUUM INTO)" : "pg_dump custom format";
        entries.add(
            write(
                cipher,
                out,
                METADATA,
                metaContent,
                o -> {
                  try (var in = Files.newInputStream(dump)) {
                    in.transferTo(o);
                  }
                }));
        List<Path> excluded = new ArrayList<>(placements.volumes().values());
        excluded.add(out);
        List<Path> files = BackupFiles.list(data, excluded);
        entries.add(
            write(
                cipher,
                out,
                FILES,
                "zip of " + files.size() + " data directory files (keys/, audit/, ...)",
                o -> BackupFiles.zip(data, files, o)));
        if (r.configFile() != null) {
          Path cf = r.configFile();
          entries.add(
              write(
                  cipher,
                  out,
                  CONFIG,
                  "configuration file " + cf.getFileName(),
                  o -> {
                    try (var in = Files.newInputStream(cf)) {
                      in.transferTo(o);
                    }
                  }));
        }
        List<BackupManifest.Volume> volumes = new ArrayList<>();
        placements
            .volumes()
            .forEach(
                (name, path) ->
                    volumes.add(
                        new BackupManifest.Volume(
                            name,
                            placements.topology().locationOf(name).map(l -> l.site()).orElse(null),
                            path.toString())));
        Map<String, Integer> classes = new TreeMap<>();
        snap.bucketsByClass().forEach((c, b) -> classes.put(c, b.size()));
        BackupManifest manifest =
            new BackupManifest(
                BackupManifest.FORMAT,
                created,
                Backups.class.getPackage().getImplementationVersion(),
                pg == null ? MetadataDump.SQLITE : MetadataDump.POSTGRESQL,
                snap.databaseId(),
                data.toString(),
                snap.blobs(),
                volumes,
                classes,
                destination,
                kdf,
                cipher.keyCheck(),
                entries);
        byte[] json = manifest.toJson();
        writeDurably(out.resolve(BackupManifest.FILE), json);
        writeDurably(
            out.resolve(BackupManifest.MAC_FILE),
            (cipher.mac(json) + "\n").getBytes(StandardCharsets.US_ASCII));
        forceDirectory(out);
        return BackupRestore.describe(manifest, out);
      } catch (IOException | RuntimeException e) {
        clear(out, outExisted); // it was empty: leave no partial backup behind
        throw e;
      }
    } finally {
      deleteTree(scratch);
    }
  }

  /** What the metadata snapshot holds that the manifest and the placement check need. */
  private record Snapshot(
      Map<String, List<String>> bucketsByClass,
      BackupManifest.BlobSet blobs,
      @Nullable String databaseId) {
    static Snapshot of(MetadataStore store, @Nullable String databaseId) {
      Map<String, List<String>> byClass = new TreeMap<>();
      for (BucketRecord b : store.buckets()) {
        byClass.computeIfAbsent(b.sensitivityClass(), k -> new ArrayList<>()).add(b.name().value());
      }
      TreeSet<String> ids = new TreeSet<>();
      store.forEachReferencedBlob((BlobId id) -> ids.add(id.value()));
      MessageDigest sha = sha256();
      ids.forEach(id -> sha.update((id + "\n").getBytes(StandardCharsets.US_ASCII)));
      return new Snapshot(
          byClass,
          new BackupManifest.BlobSet(ids.size(), HexFormat.of().formatHex(sha.digest())),
          databaseId);
    }
  }

  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Encrypts one entry into {@code dir/NAME.enc}, hashing the clear and the encrypted bytes. */
  private static BackupManifest.Entry write(
      BackupCipher cipher, Path dir, String name, String content, Content source)
      throws IOException {
    String file = name + ".enc";
    MessageDigest outer = sha256();
    MessageDigest inner = sha256();
    long[] sizes = new long[2];
    try (FileChannel ch =
        FileChannel.open(
            dir.resolve(file),
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      OutputStream raw =
          new CountingStream(new DigestOutputStream(Channels.newOutputStream(ch), outer), sizes, 0);
      try (OutputStream clear =
          new CountingStream(
              new DigestOutputStream(cipher.encrypting(nonClosing(raw), name), inner), sizes, 1)) {
        source.writeTo(clear);
      }
      raw.flush();
      ch.force(true);
    }
    HexFormat hex = HexFormat.of();
    return new BackupManifest.Entry(
        name,
        file,
        content,
        sizes[1],
        hex.formatHex(inner.digest()),
        sizes[0],
        hex.formatHex(outer.digest()));
  }

  private static OutputStream nonClosing(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }

  /** Counts the bytes written through it into {@code sizes[index]}. */
  static final class CountingStream extends FilterOutputStream {
    private final long[] sizes;
    private final int index;

    CountingStream(OutputStream out, long[] sizes, int index) {
      super(out);
      this.sizes = sizes;
      this.index = index;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      sizes[index]++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      sizes[index] += len;
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void checkPassphrase(char[] passphrase) {
    if (passphrase.length < SealedRootKey.MIN_PASSPHRASE_LENGTH) {
      throw new BackupException(
          "a backup passphrase needs at least "
              + SealedRootKey.MIN_PASSPHRASE_LENGTH
              + " characters (got "
              + passphrase.length
              + "); a few words make a good one");
    }
  }

  static void requireEmpty(Path dir, String option) throws IOException {
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new BackupException(option + " " + dir + " is a file, not a directory");
      }
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new BackupException(
              option + " " + dir + " is not empty; give a new or empty directory");
        }
      }
    }
  }

  static void writeDurably(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            file,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ch.write(ByteBuffer.wrap(bytes));
      ch.force(true);
    }
  }

  static void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Empties {@code dir} again after a failure: removes it if this command made it, else only what
   * it holds (it may be a mount point).
   */
  static void clear(Path dir, boolean existed) throws IOException {
    if (!existed) {
      deleteTree(dir);
      return;
    }
    try (Stream<Path> children = Files.list(dir)) {
      for (Path c : children.toList()) {
        deleteTree(c);
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
