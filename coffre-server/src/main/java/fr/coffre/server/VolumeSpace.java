package fr.coffre.server;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a write may still use of each volume: its free bytes above a reserve (a floor of free space
 * that writes never take, as Ceph keeps its full ratio). Placement reads it before a byte is
 * written, so a write to full volumes is refused up front ({@code PlacementRefusedException}, S3
 * {@code 503 SlowDown}); reads and deletes never ask.
 *
 * <p>A volume is full when its own file system is under its floor, when it is read-only (a volume
 * remounted read-only after an error serves reads, takes no writes), or when the data directory is
 * under its floor: the metadata database and the audit trail live there (on the volume's file
 * system in the default layout), and the reserve left below the floor is what lets reads and
 * deletes keep being recorded, and space be freed through S3, once writes stop. Nothing is cached:
 * each question is one {@code statvfs} and one {@code access} per directory, so freed space lets
 * writes in again at the next request, without a restart.
 */
final class VolumeSpace {
  private static final Logger LOG = LoggerFactory.getLogger(VolumeSpace.class);

  /**
   * What the file system says of a directory.
   *
   * @param usable bytes this process may still write
   * @param total the file system's size
   * @param writable false on a read-only file system (or a directory this process cannot write)
   */
  record Space(long usable, long total, boolean writable) {}

  /** Asks the file system about a directory; null when the directory is gone. Tests inject one. */
  @FunctionalInterface
  interface Probe {
    Space probe(Path dir);
  }

  /** The real file systems. */
  static final Probe FILES =
      new Probe() {
        private final Map<Path, FileStore> stores = new ConcurrentHashMap<>();

        @Override
        public Space probe(Path dir) {
          try {
            if (!Files.isDirectory(dir)) {
              return null;
            }
            // The store is looked up once (the lookup reads the mount table); its space is a
            // statvfs of the directory each time, so a remount shows at once.
            FileStore store = stores.get(dir);
            if (store == null) {
              store = Files.getFileStore(dir);
              stores.put(dir, store);
            }
            // access(W_OK): EROFS on a read-only mount.
            return new Space(store.getUsableSpace(), store.getTotalSpace(), Files.isWritable(dir));
          } catch (IOException e) {
            return null;
          }
        }
      };

  /**
   * The free space writes leave alone on each file system: a share of its size ({@code 5%}) or a
   * size ({@code 2GiB}, {@code 500MiB}, {@code 0}).
   *
   * @param fraction the share of the file system's size, or 0 when {@code bytes} is given
   * @param bytes the size, when {@code fraction} is 0
   */
  record Reserve(double fraction, long bytes) {
    static final Reserve DEFAULT = new Reserve(0.05, 0);

    Reserve {
      if (fraction < 0 || fraction >= 1 || bytes < 0) {
        throw new IllegalArgumentException(
            "volume-reserve: must be a share under 100% or a size, not " + fraction + "/" + bytes);
      }
    }

    /** The floor of a file system of {@code total} bytes. */
    long floor(long total) {
      return fraction > 0 ? (long) Math.ceil(total * fraction) : bytes;
    }

    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");
    private static final Pattern SIZE =
        Pattern.compile("(\\d+)\\s*(|b|kib|mib|gib|tib|kb|mb|gb|tb|k|m|g|t)");

    /** Parses {@code 5%}, {@code 2GiB}, {@code 500MiB}, {@code 1048576} or {@code 0}. */
    static Reserve parse(String value) {
      String v = value.strip().toLowerCase(Locale.ROOT);
      Matcher p = PERCENT.matcher(v);
      if (p.matches()) {
        double percent = Double.parseDouble(p.group(1));
        if (percent >= 100) {
          throw new IllegalArgumentException("'" + value + "' leaves nothing to write");
        }
        return new Reserve(percent / 100, 0);
      }
      return new Reserve(0, parseSize(value));
    }

    @Override
    public String toString() {
      return fraction > 0 ? (fraction * 100) + "%" : bytes + " bytes";
    }

    /** Parses a size: a number of bytes, or with KiB/MiB/GiB/TiB (K, M, G, T: the same). */
    static long parseSize(String value) {
      Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "'" + value + "' is not a size like 64KiB, 500MiB, 2GiB or a share like 5%");
      }
      long unit =
          switch (m.group(2)) {
            case "", "b" -> 1L;
            case "kib", "kb", "k" -> 1L << 10;
            case "mib", "mb", "m" -> 1L << 20;
            case "gib", "gb", "g" -> 1L << 30;
            default -> 1L << 40;
          };
      try {
        return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("'" + value + "' is too large");
      }
    }
  }

  private final Map<String, Path> volumes;
  private final Path dataDir;
  private final Reserve reserve;
  private final Probe probe;
  private final Map<String, Boolean> full = new ConcurrentHashMap<>();

  /**
   * @param volumes each volume's directory, by name
   * @param dataDir the data directory (metadata database, audit trail)
   */
  VolumeSpace(Map<String, Path> volumes, Path dataDir, Reserve reserve, Probe probe) {
    this.volumes = Map.copyOf(volumes);
    this.dataDir = dataDir;
    this.reserve = reserve;
    this.probe = probe;
  }

  Reserve reserve() {
    return reserve;
  }

  /**
   * The bytes a write may still put on {@code volume}: its free space above the reserve, 0 when it
   * (or the data directory) is under its floor or read-only; null when it is offline.
   */
  Long writableBytes(String volume) {
    Path dir = volumes.get(volume);
    if (dir == null || !Files.isDirectory(dir.resolve("blobs"))) {
      return null;
    }
    Space own = probe.probe(dir);
    if (own == null) {
      return null;
    }
    long left = above(own);
    String why = left > 0 ? null : own.writable() ? "under its free-space reserve" : "read-only";
    Space data = probe.probe(dataDir);
    if (data != null && left > 0) {
      long dataLeft = above(data);
      if (dataLeft <= 0) {
        why =
            data.writable()
                ? "the data directory " + dataDir + " (metadata, audit trail) is under its reserve"
                : "the data directory " + dataDir + " is read-only";
      }
      left = Math.min(left, dataLeft);
    }
    record(volume, own, why);
    return Math.max(0, left);
  }

  private long above(Space s) {
    return s.writable() ? s.usable() - reserve.floor(s.total()) : 0;
  }

  /** Logs each change between writable and full once, not at every request. */
  private void record(String volume, Space own, String why) {
    boolean isFull = why != null;
    Boolean was = full.put(volume, isFull);
    if (was == null ? isFull : was != isFull) {
      if (isFull) {
        LOG.warn(
            "volume {} is full ({}: {} bytes free of {}, reserve {}): writes placed on it are"
                + " refused (503 SlowDown) until space is freed; reads and deletes are served",
            volume,
            why,
            own.usable(),
            own.total(),
            reserve);
      } else {
        LOG.info("volume {} takes writes again ({} bytes free)", volume, own.usable());
      }
    }
  }
}
