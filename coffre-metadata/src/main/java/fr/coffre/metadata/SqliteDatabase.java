package fr.coffre.metadata;

import fr.coffre.core.StorageFailureException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open SQLite database as the aggregate classes share it: its one connection, the lock that
 * lets one caller at a time use it, and transactions. See {@link SqliteMetadataStore} for why.
 */
final class SqliteDatabase {
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();

  SqliteDatabase(Connection connection) {
    this.connection = connection;
  }

  /** Work on the connection; an SQLException becomes a StorageFailureException naming it. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws SQLException;
  }

  /** The connection; use it only inside {@link #locked}. */
  Connection connection() {
    return connection;
  }

  /** Runs {@code work} holding the lock; a database failure becomes a StorageFailureException. */
  <T> T locked(String what, Work<T> work) {
    lock.lock();
    try {
      return work.run();
    } catch (SQLException e) {
      throw new StorageFailureException("metadata " + what + " failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code work} in one transaction holding the lock, rolled back if it throws (the error then
   * propagates as {@link #locked} says).
   */
  <T> T transaction(String what, Work<T> work) {
    return locked(what, () -> {
      connection.setAutoCommit(false);
      try {
        T result = work.run();
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    });
  }

  /**
   * Copies the write-ahead log into the database file and empties it, so that rows deleted with
   * {@code secure_delete} (overwritten in the database) do not linger in the log either.
   */
  void checkpoint() {
    locked("checkpoint", () -> {
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      return null;
    });
  }

  void close() {
    locked("close", () -> {
      connection.close();
      return null;
    });
  }
}
