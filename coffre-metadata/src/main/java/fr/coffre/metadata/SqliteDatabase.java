package fr.coffre.metadata;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open SQLite database: its one connection, the lock that lets one caller at a time use it, and
 * transactions. See {@link SqliteMetadataStore} for why.
 */
final class SqliteDatabase extends SqlDatabase {
  private final Connection connection;
  private final Session session;
  private final ReentrantLock lock = new ReentrantLock();

  SqliteDatabase(Connection connection) {
    this.connection = connection;
    this.session = new Session(connection, Dialect.SQLITE, listQueries());
  }

  /** Runs {@code work} holding the lock; a database failure becomes a StorageFailureException. */
  @Override
  <T> T read(String what, Work<T> work) {
    lock.lock();
    try {
      return work.run(session);
    } catch (SQLException e) {
      throw failure(what, e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  <T> T transaction(String what, Work<T> work) {
    return read(
        what,
        s -> {
          connection.setAutoCommit(false);
          try {
            T result = work.run(s);
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
  @Override
  void scrubDeleted() {
    read(
        "checkpoint",
        s -> {
          try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
          }
          return null;
        });
  }

  @Override
  void close() {
    read(
        "close",
        s -> {
          connection.close();
          return null;
        });
  }
}
