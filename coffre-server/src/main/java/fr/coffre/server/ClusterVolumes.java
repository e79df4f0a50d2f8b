package fr.coffre.server;

import fr.coffre.cluster.ClusterAuth;
import fr.coffre.cluster.RemoteBlobStore;
import fr.coffre.core.BlobId;
import fr.coffre.storage.BlobStore;
import fr.coffre.storage.BlobWriter;
import fr.coffre.storage.FileBlobStore;
import fr.coffre.storage.PlacedBlobStore;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The volumes of a cluster as one blob store: this node's own directories first (reads prefer a
 * local copy), then every other node's volumes through its internal API. A call to a peer that
 * fails for want of the peer (not because the blob is absent) marks that peer down ({@link
 * ClusterNode#suspect}), so the next writes are placed on the others.
 */
final class ClusterVolumes {
  private ClusterVolumes() {}

  /** This node's volumes alone, each a directory (what the start-up collection may walk). */
  static Map<String, BlobStore> local(Map<String, Path> volumes) throws IOException {
    Map<String, BlobStore> stores = new LinkedHashMap<>();
    for (Map.Entry<String, Path> v : volumes.entrySet()) {
      stores.put(v.getKey(), new FileBlobStore(v.getValue()));
    }
    return stores;
  }

  /** Every volume of the topology: {@code local}, then the peers'. */
  static PlacedBlobStore all(
      Map<String, BlobStore> local,
      Placements placements,
      ClusterNode node,
      ClusterAuth auth,
      HttpClient http) {
    Map<String, BlobStore> all = new LinkedHashMap<>(local);
    Map<String, RemoteBlobStore> probes = new LinkedHashMap<>();
    placements
        .topology()
        .nodes()
        .forEach(
            (volume, owner) -> {
              if (!owner.equals(node.name())) {
                all.put(
                    volume,
                    new Suspecting(
                        new RemoteBlobStore(
                            volume, () -> node.addressOf(owner), node.name(), auth, http),
                        e -> node.suspect(owner)));
                probes.computeIfAbsent(
                    owner,
                    o ->
                        new RemoteBlobStore(
                            volume, () -> node.probeAddressOf(o), node.name(), auth, http));
              }
            });
    // A peer answers when asking one of its volumes for a blob that is not there gets an answer.
    node.probeWith(
        owner -> {
          RemoteBlobStore volume = probes.get(owner);
          if (volume == null) {
            return false;
          }
          try {
            volume.exists(BlobId.random());
            return true;
          } catch (IOException e) {
            return false;
          }
        });
    return new PlacedBlobStore(all);
  }

  /** A peer's volume whose failures (other than an absent blob) mark the peer down. */
  private record Suspecting(BlobStore store, Consumer<IOException> failed) implements BlobStore {

    private <T> T watch(IoCall<T> call) throws IOException {
      try {
        return call.run();
      } catch (NoSuchFileException e) {
        throw e;
      } catch (IOException e) {
        failed.accept(e);
        throw e;
      }
    }

    @Override
    public BlobWriter create(BlobId id) throws IOException {
      BlobWriter w = watch(() -> store.create(id));
      return new BlobWriter() {
        @Override
        public void commit() throws IOException {
          watch(
              () -> {
                w.commit();
                return null;
              });
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
          return w.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
          return watch(() -> w.write(src));
        }

        @Override
        public long position() throws IOException {
          return w.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
          w.position(newPosition);
          return this;
        }

        @Override
        public long size() throws IOException {
          return w.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
          w.truncate(size);
          return this;
        }

        @Override
        public boolean isOpen() {
          return w.isOpen();
        }

        @Override
        public void close() throws IOException {
          w.close();
        }
      };
    }

    @Override
    public SeekableByteChannel open(BlobId id) throws IOException {
      return watch(() -> store.open(id));
    }

    @Override
    public boolean exists(BlobId id) throws IOException {
      return watch(() -> store.exists(id));
    }

    @Override
    public void delete(BlobId id) throws IOException {
      watch(
          () -> {
            store.delete(id);
            return null;
          });
    }

    @Override
    public void forEach(Consumer<BlobId> visitor) throws IOException {
      store.forEach(visitor);
    }

    @Override
    public void removeTemporaries() throws IOException {
      store.removeTemporaries();
    }

    @Override
    public String describe(BlobId id) {
      return store.describe(id);
    }

    @Override
    public void close() throws IOException {
      store.close();
    }
  }

  @FunctionalInterface
  private interface IoCall<T> {
    T run() throws IOException;
  }
}
