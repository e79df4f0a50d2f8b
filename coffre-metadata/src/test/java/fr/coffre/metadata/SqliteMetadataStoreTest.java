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
