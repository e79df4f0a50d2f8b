package fr.coffre.metadata;

import static fr.coffre.metadata.TestRecords.object;
import static fr.coffre.metadata.TestRecords.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.Quota;
import fr.coffre.core.StorageFailureException;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.WriteCondition;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the PostgreSQL store promises beyond the contracts: its schema, its server, its connections.
 */
class PostgresMetadataStoreTest {
  @RegisterExtension static final PostgresTestDatabase PG = new PostgresTestDatabase();
  private static final BucketName B = new BucketName("bucket-one");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void schemaVersion_isSqlitesVersion() {
    // A migration added to one engine must be added to the other.
    assertThat(PostgresSchema.VERSION).isEqualTo(Schema.MIGRATIONS.size());
  }

  @Test
  void reopen_afterClose_keepsRowsAndSchema() throws Exception {
    PostgresUrl url = PostgresUrl.parse(PG.newSchemaUrl());
    String id;
    try (PostgresMetadataStore store = PostgresMetadataStore.open(url, null)) {
      store.createBucket(new BucketRecord(B, T0, "us-east-1"));
      store.putObject(object(B, "kept", tag(5)), WriteCondition.NONE);
      id = store.databaseId();
    }
    try (PostgresMetadataStore store = PostgresMetadataStore.open(url, null)) {
      assertThat(store.object(B, new ObjectKey("kept"))).isPresent();
      assertThat(store.databaseId()).isEqualTo(id);
    }
    try (PostgresMetadataStore other = PG.newStore()) {
      assertThat(other.databaseId()).isNotEqualTo(id);
    }
  }

  @Test
  void open_databaseNewerThanTheCode_isRefused() throws Exception {
    String url = PG.newSchemaUrl();
    PostgresMetadataStore.open(PostgresUrl.parse(url), null).close();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO schema_version (version) VALUES (" + (PostgresSchema.VERSION + 1) + ")");
    }
    assertThatThrownBy(() -> PostgresMetadataStore.open(PostgresUrl.parse(url), null))
        .isInstanceOf(StorageFailureException.class)
        .hasMessageContaining("opening metadata database")
        .hasMessageContaining("newer than this Coffre");
  }

  @Test
  void open_serverAcknowledgingCommitsBeforeTheyAreDurable_isRefused() {
    String database = PG.server().createDatabase();
    try {
      PG.server()
          .execute("postgres", "ALTER DATABASE " + database + " SET synchronous_commit = off");
      assertThatThrownBy(
              () ->
                  PostgresMetadataStore.open(
                      PostgresUrl.parse(PG.server().jdbcUrl(database, null)), null))
          .isInstanceOf(StorageFailureException.class)
          .hasMessageContaining("synchronous_commit=off");
    } finally {
      PG.server().dropDatabase(database);
    }
  }

  @Test
  void open_roleWithPassword_connectsWithTheRightOneOnly() throws Exception {
    PG.server().createPasswordRole(PG.database(), "right horse battery");
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://"
                + PostgresServer.PASSWORD_ROLE
                + "@127.0.0.1:"
                + PG.server().port()
                + "/"
                + PG.database()
                + "?currentSchema="
                + PostgresServer.PASSWORD_ROLE);
    PG.server()
        .execute(
            PG.database(),
            "CREATE SCHEMA IF NOT EXISTS "
                + PostgresServer.PASSWORD_ROLE
                + " AUTHORIZATION "
                + PostgresServer.PASSWORD_ROLE);
    assertThatThrownBy(() -> PostgresMetadataStore.open(url, "wrong staple"))
        .isInstanceOf(StorageFailureException.class)
        .hasMessageContaining("password authentication failed")
        .hasMessageNotContaining("wrong staple");
    try (MetadataStore store = PostgresMetadataStore.open(url, "right horse battery")) {
      store.createBucket(new BucketRecord(B, T0, "us-east-1"));
      assertThat(store.buckets()).hasSize(1);
    }
  }

  @Test
  void open_nothingListening_failsWithStorageFailure() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    PostgresUrl url = PostgresUrl.parse("postgresql://postgres@127.0.0.1:" + port + "/coffre");
    assertThatThrownBy(() -> PostgresMetadataStore.open(url, null))
        .isInstanceOf(StorageFailureException.class)
        .hasMessageContaining("127.0.0.1:" + port);
  }

  @Test
  void putObject_underTenantQuota_waitsForTheTenantRowThatOtherWritersHold() throws Exception {
    String url = PG.newSchemaUrl();
    try (MetadataStore store = PostgresMetadataStore.open(PostgresUrl.parse(url), null);
        Connection other = DriverManager.getConnection(url)) {
      store.createTenant(new TenantRecord("town-a", "111111111111", T0, new Quota(1000L, null)));
      store.createBucket(new BucketRecord(B, T0, "eu-west-3", "town-a", Quota.NONE));
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        // What a writer into another bucket of the tenant holds while it checks the tenant's quota.
        s.execute("SELECT 1 FROM tenants WHERE name = 'town-a' FOR NO KEY UPDATE");
      }
      CompletableFuture<ObjectStore.Written> put =
          CompletableFuture.supplyAsync(
              () -> store.putObject(object(B, "k", tag(1)), WriteCondition.NONE));
      assertThatThrownBy(() -> put.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
      other.rollback();
      assertThat(put.get(10, TimeUnit.SECONDS).replaced()).isEmpty();
    }
  }

  @Test
  void callWaitingForARowLock_doesNotHoldUpOtherCalls() throws Exception {
    String url = PG.newSchemaUrl();
    try (MetadataStore store = PostgresMetadataStore.open(PostgresUrl.parse(url), null);
        Connection other = DriverManager.getConnection(url)) {
      store.createBucket(new BucketRecord(B, T0, "us-east-1"));
      store.putObject(object(B, "a", tag(1)), WriteCondition.NONE);
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.execute("SELECT 1 FROM buckets WHERE name = '" + B.value() + "' FOR UPDATE");
      }
      CompletableFuture<ObjectStore.Written> blocked =
          CompletableFuture.supplyAsync(
              () -> store.putObject(object(B, "b", tag(2)), WriteCondition.NONE));
      assertThatThrownBy(() -> blocked.get(500, TimeUnit.MILLISECONDS))
          .isInstanceOf(TimeoutException.class);
      // Meanwhile other calls run on other connections.
      assertThat(store.object(B, new ObjectKey("a"))).isPresent();
      assertThat(store.buckets()).hasSize(1);
      other.rollback();
      assertThat(blocked.get(10, TimeUnit.SECONDS).replaced()).isEmpty();
    }
  }

  @Test
  void list_largeBucket_isAnIndexRangeScan() throws Exception {
    String url = PG.newSchemaUrl();
    try (MetadataStore store = PostgresMetadataStore.open(PostgresUrl.parse(url), null);
        Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      store.createBucket(new BucketRecord(B, T0, "us-east-1"));
      s.execute(
          "INSERT INTO objects (bucket, key, size, etag, last_modified_ms, key_ref, wrapped_key, blobs, attributes)"
              + " SELECT 'bucket-one', convert_to('k' || i, 'UTF8'), 1, 'e', 0, 'file:x', '\\x00', 'b:1', '\\x00'"
              + " FROM generate_series(1, 20000) AS i");
      s.execute("ANALYZE objects");
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs =
          s.executeQuery(
              "EXPLAIN SELECT "
                  + ObjectRows.COLUMNS
                  + " FROM objects"
                  + " WHERE bucket = 'bucket-one' AND key > convert_to('k5', 'UTF8') AND key < convert_to('k6', 'UTF8')"
                  + " ORDER BY key LIMIT 1000")) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      // An index scan of the primary key bounded on both sides (plain, or bitmap when the range is
      // about the page's size), never a scan of the table.
      assertThat(plan.toString())
          .contains("Index Scan")
          .contains("objects_pkey")
          .contains("Index Cond")
          .doesNotContain("Seq Scan");
    }
  }

  @Test
  void databaseStoppedThenBack_callsFailCleanlyThenTheSameStoreServesAgain() throws Exception {
    try (PostgresServer own = PostgresServer.start()) {
      own.execute("postgres", "CREATE DATABASE coffre");
      try (MetadataStore store =
          PostgresMetadataStore.open(PostgresUrl.parse(own.jdbcUrl("coffre", null)), null)) {
        store.createBucket(new BucketRecord(B, T0, "us-east-1"));
        own.stop("fast");
        Instant start = Instant.now();
        assertThatThrownBy(() -> store.putObject(object(B, "k", tag(1)), WriteCondition.NONE))
            .isInstanceOf(StorageFailureException.class);
        // Calls on the pool's broken connections fail at once; then one waits for a new connection
        // and fails, and the calls just after it fail at once instead of waiting again.
        boolean failedFast = false;
        for (int i = 0; i < 12 && !failedFast; i++) {
          Throwable failure = catchThrowable(() -> store.object(B, new ObjectKey("k")));
          assertThat(failure).isInstanceOf(StorageFailureException.class);
          failedFast = failure.getMessage().contains("unreachable a moment ago");
        }
        assertThat(failedFast).isTrue();
        // A liveness bound, not a speed measure: calls fail within the connection wait, never hang.
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(30));
        own.startAgain();
        Instant deadline = Instant.now().plusSeconds(20);
        while (true) {
          try {
            store.putObject(object(B, "k", tag(1)), WriteCondition.NONE);
            break;
          } catch (StorageFailureException e) {
            if (Instant.now().isAfter(deadline)) {
              throw e;
            }
            Thread.sleep(200);
          }
        }
        assertThat(store.object(B, new ObjectKey("k"))).isPresent();
      }
    }
  }
}
