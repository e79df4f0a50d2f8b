package fr.coffre.metadata;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.sqlite.SQLiteConnection;
import org.sqlite.jdbc4.JDBC4Connection;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/**
 * The SQLite connection, keeping its prepared statements for reuse.
 *
 * <p>The store's row classes prepare each statement where they run it and close it after, as JDBC
 * code does; SQLite compiles the SQL again every time, which profiles showed to be a third of the
 * metadata time of a 4 KiB GET. Here {@link #prepareStatement(String)} hands back the statement
 * compiled for the same SQL before, and closing it only resets it (result set closed, parameters
 * cleared) and returns it. SQLite recompiles a kept statement by itself when the schema changes.
 *
 * <p>Not thread-safe, like the connection: {@link SqliteDatabase} lets one caller at a time use it.
 * A statement still open (the same SQL run nested in itself) is not handed out twice: the nested
 * caller gets a fresh one, closed for good after.
 */
final class ReusingSqliteConnection extends JDBC4Connection {
  /** A bound on the statements kept; the SQL of the store is fixed text, a few hundred at most. */
  private static final int MAX_KEPT = 512;

  private final Map<String, Kept> kept = new HashMap<>();

  ReusingSqliteConnection(String url, String fileName) throws SQLException {
    this(url, fileName, new Properties());
  }

  /** A connection with the driver's settings {@code properties} (e.g. {@code transaction_mode}). */
  ReusingSqliteConnection(String url, String fileName, Properties properties) throws SQLException {
    super(url, fileName, properties);
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    Kept statement = kept.get(sql);
    if (statement != null && !statement.inUse) {
      statement.inUse = true;
      return statement;
    }
    if (statement == null && kept.size() < MAX_KEPT) {
      Kept fresh = new Kept(this, sql);
      kept.put(sql, fresh);
      fresh.inUse = true;
      return fresh;
    }
    return super.prepareStatement(sql);
  }

  /** Number of statements kept compiled; for tests. */
  int kept() {
    return kept.size();
  }

  /**
   * Resets every kept statement still marked in use, as if its caller had closed it, and says how
   * many there were: a reader calls this at the end of each read, so that a statement left open by
   * mistake cannot keep its read transaction (and an old snapshot) alive.
   */
  int resetLeaked() throws SQLException {
    int leaked = 0;
    for (Kept k : kept.values()) {
      if (k.inUse) {
        k.close();
        leaked++;
      }
    }
    return leaked;
  }

  @Override
  public void close() throws SQLException {
    kept.clear();
    super.close(); // finalizes every statement of the connection, kept ones included
  }

  /** A statement that survives {@link #close()}: closing resets it for the next caller. */
  private static final class Kept extends JDBC4PreparedStatement {
    private boolean inUse;

    Kept(SQLiteConnection connection, String sql) throws SQLException {
      super(connection, sql);
    }

    @Override
    public void close() throws SQLException {
      if (!inUse) {
        return;
      }
      inUse = false;
      if (rs.isOpen()) {
        rs.close(); // resets the compiled statement
      }
      clearParameters();
    }
  }
}
