package fr.coffre.server;

import fr.coffre.metadata.MetadataStore;
import fr.coffre.metadata.SqliteMetadataStore;
import fr.coffre.service.BlobJanitor;
import fr.coffre.storage.BlobStore;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second step of a start: where bytes and rows live. The placement configuration gives the
 * volumes, each behind a blob store; the metadata store is timed by the metrics; blobs no row
 * refers to (left by a crash before a commit) are collected before anything is served.
 */
record Stores(Placements placements, BlobStore blobs, MetadataStore metadata, Metrics metrics)
    implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

  static Stores open(ServerConfig config, DataDirectory data) throws IOException {
    Placements placements = Placements.of(config.placement(), data.path());
    BlobStore blobs = placements.blobStore(data.path());
    Metrics metrics = new Metrics(placements.volumes().values().iterator().next());
    MetadataStore metadata = metrics.timed(SqliteMetadataStore.open(data.path().resolve("metadata.db")));
    int orphans = new BlobJanitor(metadata, blobs).collect();
    LOG.debug("start-up collection removed {} orphan blobs", orphans);
    return new Stores(placements, blobs, metadata, metrics);
  }

  @Override
  public void close() throws IOException {
    try {
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
