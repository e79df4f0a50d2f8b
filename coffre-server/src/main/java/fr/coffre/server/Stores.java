package fr.coffre.server;

import fr.coffre.cluster.ClusterAuth;
import fr.coffre.cluster.ClusterHttp;
import fr.coffre.core.StorageFailureException;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.metadata.PostgresMetadataStore;
import fr.coffre.metadata.SqliteMetadataStore;
import fr.coffre.service.BlobJanitor;
import fr.coffre.storage.BlobStore;
import fr.coffre.storage.PlacedBlobStore;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second step of a start: where bytes and rows live. The placement configuration gives the
 * volumes, each behind a blob store; the metadata store (SQLite in DATA/metadata.db, or the
 * configured PostgreSQL database, checked against the directory's {@link MetadataPin}) is timed by
 * the metrics; blobs no row refers to (left by a crash before a commit) are collected before
 * anything is served, except, after a restore, those the {@link RestoreMarker} keeps.
 *
 * <p>A node of a cluster also registers itself ({@link ClusterNode}) and sees its peers' volumes
 * through their internal API ({@link ClusterVolumes}). There the start-up collection removes only
 * its own temporaries: a committed blob without a row may be a peer's write whose row is about to
 * commit, and telling it from an orphan needs a cluster-wide sweep (docs/cluster.md).
 *
 * @param local this server's own volumes (a single server: all of them)
 * @param cluster this node's membership, or null on a single server
 * @param auth the cluster secret's authenticator, or null on a single server
 * @param clusterTls the internal API's mutual TLS (its listener and the calls to peers), or null
 *     when it speaks plain HTTP
 * @param clusterHttp the client of the calls to peers, shared by every call, or null on a single
 *     server
 */
record Stores(
    Placements placements,
    BlobStore blobs,
    MetadataStore metadata,
    Metrics metrics,
    VolumeSpace space,
    Map<String, BlobStore> local,
    @Nullable ClusterNode cluster,
    @Nullable ClusterAuth auth,
    @Nullable Tls clusterTls,
    @Nullable HttpClient clusterHttp)
    implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

  static Stores open(ServerConfig config, DataDirectory data, Clock clock) throws IOException {
    ServerConfig.Cluster c = config.cluster();
    Placements placements =
        Placements.of(config.placement(), data.path(), c == null ? null : c.node());
    VolumeSpace space =
        new VolumeSpace(
            placements.volumes(), data.path(), config.limits().volumeReserve(), VolumeSpace.FILES);
    Map<String, BlobStore> local = ClusterVolumes.local(placements.volumes());
    Metrics metrics = new Metrics(placements.volumes().values().iterator().next());
    MetadataStore metadata;
    try {
      metadata = metrics.timed(openMetadata(config, data.path()));
    } catch (IOException | RuntimeException e) {
      new PlacedBlobStore(local).close();
      metrics.close();
      throw e;
    }
    try {
      if (RestoreMarker.read(data.path()) != null) {
        // A restored backup must not bring back sessions that were signed out after it was made.
        LOG.info("restored metadata: {} web sessions ended", metadata.sessions().endAllSessions());
      }
    } catch (IOException | RuntimeException e) {
      metadata.close();
      new PlacedBlobStore(local).close();
      metrics.close();
      throw e;
    }
    if (c == null) {
      BlobStore blobs = placements.blobStore(data.path(), local);
      BlobJanitor janitor = new BlobJanitor(metadata, blobs);
      int orphans;
      try {
        orphans = janitor.collect(RestoreMarker.keptBlobs(data.path(), janitor));
      } catch (IOException | RuntimeException e) {
        metadata.close();
        blobs.close();
        metrics.close();
        throw e;
      }
      LOG.debug("start-up collection removed {} orphan blobs", orphans);
      return new Stores(placements, blobs, metadata, metrics, space, local, null, null, null, null);
    }
    try {
      ClusterAuth auth = ClusterAuth.fromFile(c.secretFile());
      Tls tls = c.tls() ? new Tls(c.tlsCert(), c.tlsKey(), c.caFile()) : null;
      String site =
          placements
              .topology()
              .locationOf(placements.volumes().keySet().iterator().next())
              .orElseThrow()
              .site();
      ClusterNode node =
          new ClusterNode(
              c,
              metadata.nodes(),
              site,
              placements.volumes().keySet(),
              space::writableBytes,
              clock);
      node.register();
      new PlacedBlobStore(local).removeTemporaries();
      HttpClient http =
          tls == null
              ? ClusterHttp.client(sourceAddress(c))
              : ClusterHttp.client(tls.clientContext(), sourceAddress(c));
      PlacedBlobStore blobs = ClusterVolumes.all(local, placements, node, auth, http);
      return new Stores(placements, blobs, metadata, metrics, space, local, node, auth, tls, http);
    } catch (IOException | RuntimeException e) {
      metadata.close();
      new PlacedBlobStore(local).close();
      metrics.close();
      throw e;
    }
  }

  /**
   * {@code cluster.source-address}, checked to be this machine's (else every call to a peer would
   * fail): IllegalStateException otherwise.
   */
  private static java.net.@Nullable InetAddress sourceAddress(ServerConfig.Cluster c) {
    java.net.InetAddress a = c.sourceAddress();
    if (a != null) {
      try (java.net.Socket s = new java.net.Socket()) {
        s.bind(new java.net.InetSocketAddress(a, 0));
      } catch (IOException e) {
        throw new IllegalStateException(
            "cluster.source-address "
                + a.getHostAddress()
                + " is not an address of this machine ("
                + e.getMessage()
                + "). Nothing was started.",
            e);
      }
    }
    return a;
  }

  /** What a write may still use of each volume (null: offline), for placement. */
  Function<String, @Nullable Long> freeBytes() {
    return cluster == null ? space::writableBytes : cluster::freeBytes;
  }

  private static MetadataStore openMetadata(ServerConfig config, Path data) throws IOException {
    if (config.metadata() == null) {
      MetadataPin.check(data, null);
      return SqliteMetadataStore.open(data.resolve(MetadataPin.SQLITE_FILE));
    }
    PostgresMetadataStore store;
    try {
      store = PostgresMetadataStore.open(config.metadata().url(), config.metadata().password());
    } catch (StorageFailureException e) {
      throw new IllegalStateException(e.getMessage() + ". Nothing was started.", e);
    }
    try {
      String id = store.databaseId();
      MetadataPin.check(data, id);
      LOG.info("metadata in PostgreSQL at {} (database {})", config.metadata().url(), id);
      return store;
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (cluster != null) {
        cluster.close();
      }
      metadata.close();
    } finally {
      try {
        blobs.close();
      } finally {
        metrics.close();
      }
    }
  }
}
