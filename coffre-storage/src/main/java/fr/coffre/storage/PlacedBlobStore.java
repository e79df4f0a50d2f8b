package fr.coffre.storage;

import fr.coffre.core.BlobId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several volumes, each a {@link BlobStore} of its own, holding copies of the same blobs: a write
 * goes to every volume the placement names and commits on each (each fsynced) before it returns; a
 * read opens the first volume that has a copy and logs the copies that are missing. Which volumes
 * may hold a blob is decided above (the bucket's class); this store only obeys.
 *
 * <p><b>Guarantees.</b> A write is all or nothing across its volumes: the encrypted stream is
 * written to every copy as it comes (a tee: the bytes are encrypted once, not once per copy); if
 * any copy fails to write or commit, the copies already made are deleted and the write fails, so no
 * blob exists with fewer copies than its class asked for and nothing lands on a volume that was not
 * named.
 *
 * <p>A volume that cannot be asked (a peer's volume while its node is down) is skipped by reads and
 * by {@link #volumesOf}, which then lists the copies that can be used now; {@link #delete} deletes
 * every copy it can reach and reports the first failure, so that the caller keeps the blob to
 * collect later.
 *
 * <p><b>What breaks if you change it.</b> Falling back to another volume when a named one fails
 * would write where the class may forbid (placement is law: the engine fails closed); acknowledging
 * once the first copy is synced breaks "every required copy is durable before the 200". Reads that
 * fail an integrity check on one copy are retried on the next by the service ({@code
 * FailoverChannel}), not here: this store knows bytes, not what they mean.
 */
public final class PlacedBlobStore implements BlobStore {
  private static final Logger LOG = LoggerFactory.getLogger(PlacedBlobStore.class);

  private final Map<String, BlobStore> volumes;

  /**
   * @param volumes the volumes by name, in the order reads try them
   */
  public PlacedBlobStore(Map<String, BlobStore> volumes) {
    if (volumes.isEmpty()) {
      throw new IllegalArgumentException("a placed blob store needs at least one volume");
    }
    this.volumes = new LinkedHashMap<>(volumes);
  }

  @Override
  public List<String> volumes() {
    return List.copyOf(volumes.keySet());
  }

  /** One volume's store (to measure it, scrub it). */
  public BlobStore volume(String name) {
    BlobStore v = volumes.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no volume " + name);
    }
    return v;
  }

  /** Without a placement: every volume (a store of one volume behaves as before). */
  @Override
  public BlobWriter create(BlobId id) throws IOException {
    return create(id, volumes());
  }

  @Override
  public BlobWriter create(BlobId id, List<String> targets) throws IOException {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("a blob needs at least one volume");
    }
    List<BlobWriter> writers = new ArrayList<>(targets.size());
    try {
      for (String t : targets) {
        writers.add(volume(t).create(id));
      }
    } catch (IOException | RuntimeException e) {
      for (BlobWriter w : writers) {
        w.close();
      }
      throw e;
    }
    return new Tee(id, targets, writers);
  }

  @Override
  public SeekableByteChannel open(BlobId id) throws IOException {
    List<String> missing = new ArrayList<>();
    IOException unreachable = null;
    for (Map.Entry<String, BlobStore> v : volumes.entrySet()) {
      try {
        if (!v.getValue().exists(id)) {
          continue;
        }
        SeekableByteChannel channel = v.getValue().open(id);
        if (!missing.isEmpty()) {
          LOG.debug("blob {} read from volume {} ({} without it)", id, v.getKey(), missing);
        }
        return channel;
      } catch (NoSuchFileException e) {
        missing.add(v.getKey()); // deleted between the check and the open
      } catch (IOException e) {
        unreachable = unreachable == null ? e : unreachable; // a peer's volume, its node down
      }
    }
    if (unreachable != null) {
      throw unreachable;
    }
    throw new NoSuchFileException("blob " + id + " is on no volume");
  }

  @Override
  public void copy(BlobId id, String fromVolume, String toVolume) throws IOException {
    try (SeekableByteChannel in = volume(fromVolume).open(id);
        BlobWriter out = volume(toVolume).create(id)) {
      ByteBuffer buf = ByteBuffer.allocate(128 * 1024);
      while (in.read(buf) >= 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          out.write(buf);
        }
        buf.clear();
      }
      out.commit();
    }
  }

  @Override
  public SeekableByteChannel open(BlobId id, String volume) throws IOException {
    return volume(volume).open(id);
  }

  @Override
  public void delete(BlobId id, String volume) throws IOException {
    volume(volume).delete(id);
  }

  @Override
  public boolean exists(BlobId id) throws IOException {
    IOException unreachable = null;
    for (BlobStore v : volumes.values()) {
      try {
        if (v.exists(id)) {
          return true;
        }
      } catch (IOException e) {
        unreachable = unreachable == null ? e : unreachable;
      }
    }
    if (unreachable != null) {
      throw unreachable; // absent from what could be asked: unknown, not absent
    }
    return false;
  }

  @Override
  public List<String> volumesOf(BlobId id) throws IOException {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, BlobStore> v : volumes.entrySet()) {
      try {
        if (v.getValue().exists(id)) {
          out.add(v.getKey());
        }
      } catch (IOException e) {
        // A volume that cannot be asked (a peer's, its node down) holds no copy we can use now.
        LOG.debug("blob {}: volume {} cannot be asked: {}", id, v.getKey(), e.toString());
      }
    }
    return out;
  }

  /**
   * The first volume, in the order they were given (in a cluster, this node's own first), that
   * holds the blob, then every volume after it, not asked.
   */
  @Override
  public List<String> readOrder(BlobId id) throws IOException {
    List<String> names = new ArrayList<>(volumes.keySet());
    int i = 0;
    for (BlobStore v : volumes.values()) {
      try {
        if (v.exists(id)) {
          return names.subList(i, names.size());
        }
      } catch (IOException e) {
        LOG.debug("blob {}: volume {} cannot be asked: {}", id, names.get(i), e.toString());
      }
      i++;
    }
    return List.of();
  }

  @Override
  public void delete(BlobId id) throws IOException {
    IOException first = null;
    for (BlobStore v : volumes.values()) {
      try {
        v.delete(id);
      } catch (IOException e) {
        first = first == null ? e : first; // the others are still deleted
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void forEach(Consumer<BlobId> visitor) throws IOException {
    Set<BlobId> seen = new HashSet<>();
    for (BlobStore v : volumes.values()) {
      v.forEach(
          id -> {
            if (seen.add(id)) {
              visitor.accept(id);
            }
          });
    }
  }

  @Override
  public void forEachCommittedBefore(Instant cutoff, Consumer<BlobId> visitor) throws IOException {
    Set<BlobId> seen = new HashSet<>();
    for (BlobStore v : volumes.values()) {
      v.forEachCommittedBefore(
          cutoff,
          id -> {
            if (seen.add(id)) {
              visitor.accept(id);
            }
          });
    }
  }

  @Override
  public void removeTemporaries() throws IOException {
    for (BlobStore v : volumes.values()) {
      v.removeTemporaries();
    }
  }

  @Override
  public String describe(BlobId id) {
    List<String> where = new ArrayList<>();
    volumes.forEach((name, v) -> where.add(name + ":" + v.describe(id)));
    return String.join(", ", where);
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (BlobStore v : volumes.values()) {
      try {
        v.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Writes every byte to each copy; commits each copy, or none stays visible. */
  private final class Tee implements BlobWriter {
    private final BlobId id;
    private final List<String> targets;
    private final List<BlobWriter> writers;

    Tee(BlobId id, List<String> targets, List<BlobWriter> writers) {
      this.id = id;
      this.targets = targets;
      this.writers = writers;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int n = src.remaining();
      for (BlobWriter w : writers) {
        ByteBuffer copy = src.duplicate();
        while (copy.hasRemaining()) {
          w.write(copy);
        }
      }
      src.position(src.limit());
      return n;
    }

    @Override
    public int read(ByteBuffer dst) {
      throw new NonReadableChannelException();
    }

    @Override
    public long position() throws IOException {
      return writers.get(0).position();
    }

    @Override
    public SeekableByteChannel position(long p) throws IOException {
      for (BlobWriter w : writers) {
        w.position(p);
      }
      return this;
    }

    @Override
    public long size() throws IOException {
      return writers.get(0).size();
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
      for (BlobWriter w : writers) {
        w.truncate(size);
      }
      return this;
    }

    @Override
    public boolean isOpen() {
      return writers.get(0).isOpen();
    }

    @Override
    public void commit() throws IOException {
      int committed = 0;
      try {
        for (BlobWriter w : writers) {
          w.commit();
          committed++;
        }
      } catch (IOException | RuntimeException e) {
        // A copy that did not reach its volume: the blob is not placed, none of it stays.
        for (int i = 0; i < committed; i++) {
          try {
            volume(targets.get(i)).delete(id);
          } catch (IOException ignored) {
            LOG.warn(
                "blob {}: could not remove the copy on {} after a failed placement",
                id,
                targets.get(i));
          }
        }
        close();
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      for (BlobWriter w : writers) {
        w.close();
      }
    }
  }
}
