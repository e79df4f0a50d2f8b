package fr.coffre.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.StorageFailureException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads on read-only connections beside the writer: they do not wait for a transaction in flight,
 * see only what is committed, see every commit acknowledged before they began, and cannot write.
 */
class SqliteReadersTest {
  @TempDir Path dir;
  private Connection writer;
  private SqliteDatabase db;

  @BeforeEach
  void open() throws SQLException {
    String file = dir.resolve("r.db").toString();
    writer = new ReusingSqliteConnection("jdbc:sqlite:" + file, file);
    try (Statement s = writer.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=FULL");
      s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    }
    List<Connection> readers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Connection r = new ReusingSqliteConnection("jdbc:sqlite:" + file, file);
      try (Statement s = r.createStatement()) {
        s.execute("PRAGMA query_only=ON");
      }
      readers.add(r);
    }
    db = new SqliteDatabase(writer, readers);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aRead_doesNotWaitForATransactionInFlight_andSeesOnlyWhatIsCommitted() throws Exception {
    insert("committed", 1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch written = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Object> slow =
        CompletableFuture.supplyAsync(
            () ->
                db.transaction(
                    "slow",
                    s -> {
                      insertOn(s.connection(), 2, "uncommitted yet");
                      written.countDown();
                      await(release);
                      return null;
                    }),
            pool);
    assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
    // The writer holds its lock until released: a read under that lock would never return.
    CompletableFuture<List<Integer>> read = CompletableFuture.supplyAsync(this::keys, pool);
    assertThat(read.get(10, TimeUnit.SECONDS)).containsExactly(1);
    release.countDown();
    slow.get(10, TimeUnit.SECONDS);
    pool.shutdown();
    assertThat(keys()).as("a read after the commit returned").containsExactly(1, 2);
  }

  @Test
  void aReadInsideATransaction_seesTheTransactionsOwnRows() {
    List<Integer> seen =
        db.transaction(
            "own rows",
            s -> {
              insertOn(s.connection(), 7, "mine");
              return keys();
            });
    assertThat(seen).containsExactly(7);
  }

  @Test
  void aNestedRead_reusesTheOuterReader() {
    // Two readers only: three nested levels would block forever if each took its own.
    List<Integer> seen = db.read("outer", s -> db.read("middle", m -> keys()));
    assertThat(seen).isEmpty();
  }

  @Test
  void aWriteOnAReader_fails() {
    assertThatThrownBy(
            () ->
                db.read(
                    "write by mistake",
                    s -> {
                      insertOn(s.connection(), 3, "no");
                      return null;
                    }))
        .isInstanceOf(StorageFailureException.class)
        .hasMessageContaining("write by mistake");
    assertThat(keys()).isEmpty();
  }

  @Test
  void aStatementLeftOpen_doesNotPinAnOldSnapshot() throws Exception {
    insert("first", 1);
    db.read(
        "leaky",
        s -> {
          PreparedStatement ps = s.connection().prepareStatement("SELECT k FROM t");
          ResultSet rs = ps.executeQuery();
          return rs.next(); // neither closed
        });
    insert("second", 2);
    for (int i = 0; i < 4; i++) { // every reader in turn
      assertThat(keys()).containsExactly(1, 2);
    }
  }

  private void insert(String what, int k) {
    db.transaction(
        what,
        s -> {
          insertOn(s.connection(), k, what);
          return null;
        });
  }

  private static void insertOn(Connection c, int k, String v) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
      ps.setInt(1, k);
      ps.setString(2, v);
      ps.executeUpdate();
    }
  }

  private List<Integer> keys() {
    return db.read(
        "keys",
        s -> {
          List<Integer> ks = new ArrayList<>();
          try (PreparedStatement ps =
                  s.connection().prepareStatement("SELECT k FROM t ORDER BY k");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              ks.add(rs.getInt(1));
            }
          }
          return ks;
        });
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(20, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
