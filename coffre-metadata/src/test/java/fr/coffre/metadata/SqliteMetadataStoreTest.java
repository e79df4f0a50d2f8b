package fr.coffre.metadata;

import static fr.coffre.metadata.TestRecords.object;
import static fr.coffre.metadata.TestRecords.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.StorageFailureException;
import fr.coffre.core.WriteCondition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite store promises beyond the contracts: its file, its schema, its journal. */
class SqliteMetadataStoreTest {
  private static final BucketName B = new BucketName("bucket-one");
  @TempDir Path dir;

  @Test
  void reopen_afterClose_keepsRowsAndSchema() throws Exception {
    Path file = dir.resolve("metadata.db");
    try (MetadataStore store = SqliteMetadataStore.open(file)) {
      store.createBucket(new BucketRecord(B, Instant.parse("2026-01-01T00:00:00Z"), "us-east-1"));
      store.putObject(object(B, "kept", tag(5)), WriteCondition.NONE);
    }
    try (MetadataStore store = SqliteMetadataStore.open(file)) {
      assertThat(store.object(B, new ObjectKey("kept"))).isPresent();
    }
  }

  @Test
  void putObject_whileAnotherConnectionBrieflyHoldsTheWriteLock_waitsForItInsteadOfFailing()
      throws Exception {
    Path file = dir.resolve("metadata.db");
    try (MetadataStore store = SqliteMetadataStore.open(file)) {
      store.createBucket(new BucketRecord(B, Instant.parse("2026-01-01T00:00:00Z"), "us-east-1"));
      // Another connection (an operator's sqlite3 shell; inside the server, SQLite itself takes
      // the log's write lock for an instant to re-read a header it saw change) holds the write
      // lock for 300 ms. A put reads (the bucket) before it writes: in a deferred transaction
      // SQLite does not wait for the lock when a read turns into a write (no busy handler then),
      // so the put failed at once with SQLITE_BUSY, a 503, instead of waiting for busy_timeout.
      try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
          Statement s = other.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
          ScheduledFuture<Boolean> released =
              later.schedule(() -> s.execute("COMMIT"), 300, TimeUnit.MILLISECONDS);
          store.putObject(object(B, "waited", tag(7)), WriteCondition.NONE);
          released.get(10, TimeUnit.SECONDS);
        } finally {
          later.shutdownNow();
        }
      }
      assertThat(store.object(B, new ObjectKey("waited"))).isPresent();
    }
  }

  @Test
  void open_newFile_isInWriteAheadLogMode() throws Exception {
    Path file = dir.resolve("metadata.db");
    SqliteMetadataStore.open(file).close();
    // The journal mode is recorded in the file, so another connection sees it.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void open_databaseNewerThanTheCode_isRefused() throws Exception {
    Path file = dir.resolve("metadata.db");
    SqliteMetadataStore.open(file).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO schema_version (version) VALUES (" + (Schema.MIGRATIONS.size() + 1) + ")");
    }
    assertThatThrownBy(() -> SqliteMetadataStore.open(file))
        .isInstanceOf(StorageFailureException.class)
        .hasMessageContaining("opening metadata database");
  }
}
