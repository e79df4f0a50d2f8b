package fr.coffre.server;

import fr.coffre.core.NodeRecord;
import fr.coffre.core.StorageFailureException;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.metadata.PostgresMetadataStore;
import fr.coffre.metadata.SqliteMetadataStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The metadata an offline root key rotation re-wraps: the data directory's SQLite file, or the
 * PostgreSQL database its {@link MetadataPin} names. Checked before any key changes, so that a
 * refusal leaves the old key in place: the database must be the one the directory belongs with, and
 * no cluster node may be registered in it (every node would need the new key at once).
 */
final class RotationMetadata {
  private RotationMetadata() {}

  static MetadataStore open(Path data, ServerConfig.@Nullable Metadata pg) throws IOException {
    if (pg == null) {
      try {
        MetadataPin.check(data, null);
      } catch (IllegalStateException e) {
        throw new CustodyException(changed(e.getMessage()), e);
      }
      return SqliteMetadataStore.open(data.resolve(MetadataPin.SQLITE_FILE));
    }
    if (!Files.exists(data.resolve(MetadataPin.FILE))) {
      throw new CustodyException(
          data
              + " has no "
              + MetadataPin.FILE
              + ": its metadata is not in PostgreSQL (rotate without --metadata), or the server"
              + " never started on that database. Nothing was changed.");
    }
    PostgresMetadataStore store;
    try {
      store = PostgresMetadataStore.open(pg.url(), pg.password());
    } catch (StorageFailureException e) {
      throw new CustodyException(
          e.getMessage()
              + (e.getCause() == null ? "" : ": " + e.getCause().getMessage())
              + ". Nothing was changed.",
          e);
    }
    try {
      MetadataPin.check(data, store.databaseId());
      List<String> nodes = store.nodes().nodes().stream().map(NodeRecord::name).toList();
      if (!nodes.isEmpty()) {
        throw new CustodyException(
            "the database "
                + pg.url()
                + " is shared by the cluster nodes "
                + nodes
                + ": every node would need the new root key at once, and a rotation of a cluster"
                + " is not supported yet (docs/key-custody.md). Nothing was changed.");
      }
      return store;
    } catch (IllegalStateException e) {
      store.close();
      throw new CustodyException(changed(e.getMessage()), e);
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static String changed(@Nullable String message) {
    return String.valueOf(message).replace("Nothing was started.", "Nothing was changed.");
  }
}
