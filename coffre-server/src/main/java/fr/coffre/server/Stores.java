package fr.coffre.server;

import fr.coffre.core.StorageFailureException;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.metadata.PostgresMetadataStore;
import fr.coffre.metadata.SqliteMetadataStore;
import fr.coffre.service.BlobJanitor;
import fr.coffre.storage.BlobStore;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second step of a start: where bytes and rows live. The placement configuration gives the
 * volumes, each behind a blob store; the metadata store (SQLite in DATA/metadata.db, or the
 * configured PostgreSQL database, checked against the directory's {@link MetadataPin}) is timed by
 * the metrics; blobs no row refers to (left by a crash before a commit) are collected before
 * anything is served.
 */
record Stores(Placements placements, BlobStore blobs, MetadataStore metadata, Metrics metrics)
    implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

  static Stores open(ServerConfig config, DataDirectory data) throws IOException {
    Placements placements = Placements.of(config.placement(), data.path());
    BlobStore blobs = placements.blobStore(data.path());
    Metrics metrics = new Metrics(placements.volumes().values().iterator().next());
    MetadataStore metadata;
    try {
      metadata = metrics.timed(openMetadata(config, data.path()));
    } catch (IOException | RuntimeException e) {
      blobs.close();
      metrics.close();
      throw e;
    }
    int orphans = new BlobJanitor(metadata, blobs).collect();
    LOG.debug("start-up collection removed {} orphan blobs", orphans);
    return new Stores(placements, blobs, metadata, metrics);
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
