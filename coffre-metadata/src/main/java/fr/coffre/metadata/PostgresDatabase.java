package fr.coffre.metadata;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL database as the aggregate classes use it: each call borrows a connection of the
 * pool for its duration. Reads run in auto-commit (each statement sees what is committed);
 * transactions at PostgreSQL's default isolation, read committed, with the row locks the aggregate
 * classes take. A transaction that PostgreSQL aborts because of a deadlock or a serialization
 * failure changed nothing and is run again, a few times; any other failure is the caller's {@link
 * fr.coffre.core.StorageFailureException}. See {@link PostgresMetadataStore}.
 *
 * <p>While the database is unreachable, calls fail at once rather than each waiting out the pool's
 * connection timeout: once a call found no connection in time, the calls of the next {@link
 * #FAIL_FAST} fail straight away unless the pool has reconnected meanwhile (it keeps trying in the
 * background); the first call after that waits again. A request, which makes a call or two (the
 * audit looks up the bucket's owner), then ends in about one connection wait, and the store serves
 * again within seconds of the database's return.
 */
final class PostgresDatabase extends SqlDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresDatabase.class);

  /**
   * serialization_failure, deadlock_detected: the transaction was rolled back and may run again.
   */
  private static final Set<String> RETRYABLE = Set.of("40001", "40P01");

  private static final int MAX_ATTEMPTS = 5;
  static final Duration FAIL_FAST = Duration.ofSeconds(3);

  private final HikariDataSource pool;
  private volatile long failFastUntil = System.nanoTime();
  private volatile String lastFailure;

  PostgresDatabase(HikariDataSource pool) {
    this.pool = pool;
  }

  /** A connection of the pool; fails at once for a moment after the pool could not give one. */
  private Connection connection() throws SQLException {
    if (System.nanoTime() - failFastUntil < 0
        && pool.getHikariPoolMXBean().getIdleConnections() == 0) {
      throw new SQLTransientConnectionException(
          "the database was unreachable a moment ago ("
              + lastFailure
              + "); failing at once for "
              + FAIL_FAST.toSeconds()
              + " s",
          "08001");
    }
    try {
      return pool.getConnection();
    } catch (SQLTransientConnectionException e) {
      lastFailure = e.getMessage();
      failFastUntil = System.nanoTime() + FAIL_FAST.toNanos();
      throw e;
    }
  }

  private Session session(Connection c) {
    return new Session(c, Dialect.POSTGRESQL, listQueries(), sealing());
  }

  @Override
  <T> T read(String what, Work<T> work) {
    try (Connection c = connection()) {
      return work.run(session(c));
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  @Override
  <T> T transaction(String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = connection()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(session(c));
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollback(c, e);
          throw e;
        }
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && RETRYABLE.contains(e.getSQLState())) {
          LOG.debug(
              "metadata {} rolled back by the database ({}), attempt {} of {}",
              what,
              e.getSQLState(),
              attempt,
              MAX_ATTEMPTS);
          continue;
        }
        throw failure(what, e);
      }
    }
  }

  private static void rollback(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e); // the connection is broken; the pool discards it
    }
  }

  /** The id {@link PostgresSchema} gave the database. */
  String databaseId() {
    try (Connection c = connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM database_id")) {
      if (!rs.next()) {
        throw new SQLException("the table database_id is empty");
      }
      return rs.getString(1);
    } catch (SQLException e) {
      throw failure("databaseId", e);
    }
  }

  /**
   * PostgreSQL never overwrites a deleted row in place: it stays in the table's pages until {@code
   * VACUUM} reclaims the space and new rows overwrite it, and in the write-ahead log, replicas and
   * backups until they are recycled. Vacuuming the versions table right away is what the database
   * allows; the material was only ever stored wrapped by the root key.
   */
  @Override
  void scrubDeleted() {
    try (Connection c = connection();
        Statement s = c.createStatement()) {
      s.execute("VACUUM kms_key_versions");
    } catch (SQLException e) {
      LOG.warn("could not vacuum kms_key_versions after a key destruction: {}", e.getMessage());
    }
  }

  @Override
  void close() {
    pool.close();
  }
}
