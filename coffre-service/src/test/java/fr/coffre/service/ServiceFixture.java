package fr.coffre.service;

import fr.coffre.core.BucketName;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.Principal;
import fr.coffre.core.TenantRecord;
import fr.coffre.crypto.KeyFileRootKey;
import fr.coffre.crypto.ObjectCrypto;
import fr.coffre.crypto.RootKey;
import fr.coffre.crypto.SigningKey;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.metadata.SqliteMetadataStore;
import fr.coffre.policy.placement.Location;
import fr.coffre.policy.placement.SensitivityClasses;
import fr.coffre.policy.placement.Topology;
import fr.coffre.storage.BlobStore;
import fr.coffre.storage.FileBlobStore;
import fr.coffre.storage.PlacedBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * The services wired as CoffreServer wires them, in the JVM: a temp-dir volume behind a placed blob
 * store, SQLite metadata, a fixed root key (a key file of known bytes), the hand-moved clock, and a
 * one-site, one-volume topology with the default classes (the server's default placement).
 *
 * <p>Use one per test: {@code fixture = ServiceFixture.open(tempDir)} in {@code @BeforeEach} and
 * {@code fixture.close()} in {@code @AfterEach}, the directory made by {@code @TempDir(factory =
 * ServiceFixture.TempDirs.class)}. The metadata store is only seen as {@link MetadataStore}, opened
 * by {@link SqliteMetadataStore#open}, so the fixture does not depend on how that store is built.
 */
final class ServiceFixture implements AutoCloseable {
  static final Instant START = Instant.parse("2026-12-01T09:00:00Z");
  static final String REGION = "fr-par";
  static final String ACCOUNT = "000000000000";
  static final String ARN_PREFIX = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":";
  static final String ROOT_ACCESS_KEY = "COFFREFIXTUREROOTKEY";
  static final String ROOT_SECRET = "fixture-root-secret-not-a-real-one-0000000";
  static final String VOLUME = "default";
  static final String DEFAULT_CLASS = "internal";

  /** Lock-out settings of share-link passwords, as the server's. */
  static final int SHARE_LOCKOUT_THRESHOLD = 10;

  final Path dir;
  final Path volume;
  final HandClock clock = new HandClock(START);
  final RootKey rootKey;
  final MetadataStore metadata;
  final PlacedBlobStore blobs;
  final KeyService keys;
  final ObjectCrypto crypto;
  final PlacementService placement;
  final BucketService buckets;
  final ObjectService objects;
  final MultipartService multipart;
  final IdentityService identities;
  final AccessService access;
  final ShareService shares;

  /** The volume's space as placement sees it, when a test sets it (0: full); null: the disk's. */
  volatile Long volumeSpace;

  private ServiceFixture(Path dir) throws Exception {
    this.dir = dir;
    this.volume = dir.resolve("volume");
    this.rootKey = KeyFileRootKey.openOrCreate(fixedKeyFile(dir.resolve("keys")));
    Map<String, BlobStore> volumes = Map.of(VOLUME, new FileBlobStore(volume));
    this.blobs = new PlacedBlobStore(volumes);
    this.metadata = SqliteMetadataStore.open(dir.resolve("metadata.db"));
    // As the server does: every service test runs with ETags and checksums sealed in the rows.
    metadata.sealValuesWith(new MetadataSealer(rootKey, metadata, clock));
    Path keyDir = dir.resolve("keys");
    RootKey root = rootKey;
    this.keys =
        new KeyService(
            metadata,
            rootKey,
            memoize(
                () -> {
                  try {
                    return SigningKey.openOrCreate(keyDir, root);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }),
            clock,
            REGION);
    this.crypto = keys.crypto();
    Topology topology =
        new Topology(
            null, List.of(new Location("local", null, null, null, Set.of(), List.of(VOLUME))));
    this.placement =
        new PlacementService(
            metadata,
            topology,
            SensitivityClasses.defaults(),
            DEFAULT_CLASS,
            "file",
            v ->
                !VOLUME.equals(v) ? null : volumeSpace != null ? volumeSpace : usableSpace(volume));
    this.buckets = new BucketService(metadata, blobs, clock).placedBy(placement);
    this.objects = new ObjectService(metadata, blobs, crypto, keys, clock, placement);
    this.multipart = new MultipartService(metadata, blobs, crypto, keys, clock, placement);
    this.identities =
        new IdentityService(metadata, rootKey, clock, ROOT_ACCESS_KEY, () -> ROOT_SECRET);
    this.access =
        new AccessService(
            metadata, identities, new AclService(metadata, identities, buckets), clock);
    this.shares =
        new ShareService(
            metadata,
            objects,
            access,
            identities,
            new Lockouts(
                metadata.lockouts(),
                "share-links",
                clock,
                SHARE_LOCKOUT_THRESHOLD,
                Duration.ofMinutes(5),
                Duration.ofMinutes(5)),
            clock);
  }

  static ServiceFixture open(Path dir) {
    try {
      return new ServiceFixture(dir);
    } catch (Exception e) {
      throw new IllegalStateException("the service fixture could not be opened in " + dir, e);
    }
  }

  /**
   * A key file of 32 known bytes, owner-only as KeyFileRootKey demands: the same root key every
   * run.
   */
  private static Path fixedKeyFile(Path keyDir) throws IOException {
    Files.createDirectories(keyDir);
    Path file = keyDir.resolve("root.key");
    if (!Files.exists(file)) {
      byte[] material = new byte[32];
      for (int i = 0; i < material.length; i++) {
        material[i] = (byte) (0xC0 + i);
      }
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(file, material);
    }
    return file;
  }

  private static Long usableSpace(Path volume) {
    try {
      return Files.getFileStore(volume).getUsableSpace();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Temporary directories on tmpfs when the machine has one: the stores fsync every commit, as in
   * production, and there that costs nothing, which keeps the module's tests fast.
   */
  static final class TempDirs implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context)
        throws IOException {
      Path shm = Path.of("/dev/shm");
      if (Files.isDirectory(shm) && Files.isWritable(shm)) {
        return Files.createTempDirectory(shm, "coffre-service-test-");
      }
      return Files.createTempDirectory("coffre-service-test-");
    }
  }

  private static <T> java.util.function.Supplier<T> memoize(java.util.function.Supplier<T> s) {
    return new java.util.function.Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = s.get();
        }
        return value;
      }
    };
  }

  // ---------------------------------------------------------------- helpers for the tests

  /** Moves the clock forward. */
  void advance(Duration d) {
    clock.now = clock.now.plus(d);
  }

  /** Creates a bucket of the default tenant in the default class. */
  BucketName bucket(String name) {
    BucketName b = new BucketName(name);
    buckets.create(b, REGION);
    return b;
  }

  /** Creates a bucket of {@code tenant}. */
  BucketName bucket(String name, String tenant) {
    BucketName b = new BucketName(name);
    buckets.create(b, REGION, tenant);
    return b;
  }

  /** Stores {@code content} under {@code key} with no attributes and no condition (SSE-S3). */
  ObjectInfo put(BucketName bucket, String key, byte[] content) {
    return objects.put(
        bucket,
        new ObjectKey(key),
        new ByteArrayInputStream(content),
        PutRequest.of(ObjectAttributes.EMPTY));
  }

  ObjectInfo put(BucketName bucket, String key, byte[] content, PutRequest request) {
    return objects.put(bucket, new ObjectKey(key), new ByteArrayInputStream(content), request);
  }

  /** Stores {@code content} encrypted under the KMS key {@code kmsKey} (SSE-KMS). */
  ObjectInfo putKms(BucketName bucket, String key, byte[] content, String kmsKey) {
    return put(
        bucket,
        key,
        content,
        new PutRequest(ObjectAttributes.EMPTY, null, null, null, null, kmsKey));
  }

  /** The whole current content of an object. */
  byte[] read(BucketName bucket, String key) {
    return read(bucket, key, null);
  }

  /** The bytes a ranged GET returns. */
  byte[] read(BucketName bucket, String key, ByteRange range) {
    ObjectService.OpenObject o =
        objects.get(bucket, new ObjectKey(key), ReadConditions.NONE, range, false, null);
    return drain(o.content());
  }

  static byte[] drain(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every committed blob file on the volume. */
  List<Path> blobFiles() {
    try (Stream<Path> files = Files.walk(volume.resolve("blobs"))) {
      return files.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file under the fixture's directory (blobs, temporaries, database and its WAL, keys). */
  List<Path> allFiles() {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The default tenant's root, as the root credentials authenticate. */
  Principal root() {
    return identities.principal(ROOT_ACCESS_KEY).orElseThrow();
  }

  static String defaultTenant() {
    return TenantRecord.DEFAULT;
  }

  /** Deterministic pseudo-random bytes (incompressible, so no accidental match on disk). */
  static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String md5Hex(byte[]... chunks) {
    try {
      java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
      for (byte[] c : chunks) {
        md5.update(c);
      }
      return java.util.HexFormat.of().formatHex(md5.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      metadata.close();
    } finally {
      blobs.close();
    }
  }
}
