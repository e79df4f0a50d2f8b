package fr.coffre.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions committed in groups: each is all or nothing on its own, a failing one does not take
 * its group with it, and concurrent callers do share commits.
 */
class SqliteGroupCommitTest {
  @TempDir Path dir;

  /** A domain error thrown by a transaction after it wrote. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  @Test
  void concurrentTransactions_shareCommits_andAFailingOneIsRolledBackAlone() throws Exception {
    String file = dir.resolve("g.db").toString();
    Connection c = new ReusingSqliteConnection("jdbc:sqlite:" + file, file);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=FULL");
      s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    }
    SqliteDatabase db = new SqliteDatabase(c);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<String>> outcomes = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int k = i;
      outcomes.add(
          pool.submit(
              () -> {
                try {
                  return db.transaction(
                      "insert " + k,
                      s -> {
                        insert(c, k, "first");
                        insert(c, k + 100_000, "second");
                        if (k % 7 == 0) {
                          throw new Refused("refused " + k);
                        }
                        return "ok";
                      });
                } catch (Refused e) {
                  return e.getMessage();
                }
              }));
    }
    for (int i = 0; i < outcomes.size(); i++) {
      assertThat(outcomes.get(i).get()).isEqualTo(i % 7 == 0 ? "refused " + i : "ok");
    }
    pool.shutdown();
    int expected = 400 - (400 + 6) / 7;
    assertThat(count(db)).isEqualTo(2L * expected);
    for (int k = 0; k < 400; k += 7) {
      assertThat(exists(db, k)).as("row of refused transaction %d", k).isFalse();
      assertThat(exists(db, k + 100_000)).isFalse();
    }
    long[] groups = db.groupCommits();
    assertThat(groups[0]).isEqualTo(400);
    assertThat(groups[1]).as("commits for 400 transactions of 16 callers").isLessThan(400);
    db.close();
  }

  @Test
  void aTransactionThatBreaksTheDatabaseConstraint_failsAlone() {
    String file = dir.resolve("h.db").toString();
    SqliteDatabase db;
    Connection c;
    try {
      c = new ReusingSqliteConnection("jdbc:sqlite:" + file, file);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    db = new SqliteDatabase(c);
    db.transaction(
        "one",
        s -> {
          insert(c, 1, "a");
          return null;
        });
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                db.transaction(
                    "duplicate",
                    s -> {
                      insert(c, 2, "b");
                      insert(c, 1, "again");
                      return null;
                    }))
        .isInstanceOf(fr.coffre.core.StorageFailureException.class)
        .hasMessageContaining("duplicate");
    db.transaction(
        "three",
        s -> {
          insert(c, 3, "c");
          return null;
        });
    assertThat(exists(db, 1)).isTrue();
    assertThat(exists(db, 2)).isFalse();
    assertThat(exists(db, 3)).isTrue();
    db.close();
  }

  private static void insert(Connection c, int k, String v) throws java.sql.SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
      ps.setInt(1, k);
      ps.setString(2, v);
      ps.executeUpdate();
    }
  }

  private static long count(SqliteDatabase db) {
    return db.read(
        "count",
        s -> {
          try (Statement st = s.connection().createStatement();
              ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private static boolean exists(SqliteDatabase db, int k) {
    return db.read(
        "exists",
        s -> {
          try (PreparedStatement ps =
              s.connection().prepareStatement("SELECT 1 FROM t WHERE k = ?")) {
            ps.setInt(1, k);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          }
        });
  }
}
