package fr.coffre.metadata;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import fr.coffre.core.StorageFailureException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * The metadata store of Coffre on several machines: one PostgreSQL database (a single server, or a
 * highly available cluster reached through a multi-host URL) that every node and every aggregate of
 * {@link MetadataStore} shares.
 *
 * <h2>What it guarantees, and why</h2>
 *
 * <ul>
 *   <li><b>A returned mutation is durable.</b> A commit returns once PostgreSQL has flushed its
 *       write-ahead log record ({@code synchronous_commit=on}, the default; with synchronous
 *       standbys, once they hold it too). {@link #open} refuses a server that runs with {@code
 *       fsync=off} or {@code synchronous_commit=off}, which would acknowledge writes a crash can
 *       lose.
 *   <li><b>A mutation is all or nothing.</b> Each mutating method is one transaction ({@link
 *       PostgresDatabase#transaction}), rolled back on any exception, domain errors included.
 *   <li><b>Concurrent writers stay correct, on one node or several.</b> Transactions run at read
 *       committed and lock the rows they decide on ({@link Dialect}): an overwrite checks its
 *       condition against the locked current row, racing creations of one key resolve through
 *       {@code INSERT ... ON CONFLICT DO NOTHING} ({@link SqlObjects#put}), a write holds its
 *       bucket against deletion, quotas are checked after the write while its usage row is held
 *       ({@link IdentityRows#checkQuotaAfterWrite}), share-link downloads count with one
 *       conditional {@code UPDATE}. Rows are locked in one order (bucket, upload, object, usage,
 *       tenant) so transactions wait rather than deadlock; one that PostgreSQL still aborts
 *       (deadlock, serialization failure) changed nothing and is run again.
 *   <li><b>Readers do not queue behind each other.</b> A pool of connections (HikariCP, {@value
 *       #DEFAULT_POOL_SIZE} by default) serves concurrent calls; a read takes a connection for its
 *       statements only.
 *   <li><b>Listings are range scans in S3's order.</b> Keys are {@code BYTEA}, text is {@code
 *       COLLATE "C"} ({@link PostgresSchema}), whatever the database's own collation: the same
 *       {@link Lister} as SQLite's runs the same queries.
 *   <li><b>A database failure is an error, not a hang.</b> Connecting gives up after {@value
 *       #CONNECT_TIMEOUT_S} s, a statement whose server stops answering after {@value
 *       #SOCKET_TIMEOUT_S} s, and a call that finds no usable connection within {@code
 *       CONNECTION_WAIT} fails with a {@link StorageFailureException} (a 503 to S3 clients), as do,
 *       at once, the calls of the next few seconds ({@link PostgresDatabase}). The pool replaces
 *       broken connections, so the store serves again as soon as the database is back (or a standby
 *       has been promoted), without a restart. The URL's own parameters ({@code connectTimeout},
 *       {@code socketTimeout}) override these.
 *   <li><b>The schema is the code's</b>, migrated at open under an advisory lock; a newer one is
 *       refused.
 * </ul>
 *
 * <p>One promise is weaker than SQLite's: destroyed key material is not overwritten in place (see
 * {@link PostgresDatabase#scrubDeleted}).
 */
public final class PostgresMetadataStore extends DelegatingMetadataStore {
  static final int DEFAULT_POOL_SIZE = 10;
  static final int CONNECT_TIMEOUT_S = 5;
  static final int SOCKET_TIMEOUT_S = 30;
  static final Duration CONNECTION_WAIT = Duration.ofSeconds(5);

  private final PostgresDatabase db;

  private PostgresMetadataStore(PostgresDatabase db) {
    super(
        new SqlBuckets(db),
        new SqlObjects(db),
        new SqlUploads(db),
        new SqlKms(db),
        new SqlIdentities(db),
        new SqlShares(db),
        new SqlNodes(db),
        new SqlGovernance(db),
        new SqlRoles(db),
        new SqlSessions(db),
        new SqlLockouts(db));
    this.db = db;
  }

  /**
   * Connects (the password, when the server asks for one, given apart from the URL), checks the
   * server, creates or migrates the schema; StorageFailureException if any of it fails.
   */
  public static PostgresMetadataStore open(PostgresUrl url, String password) {
    return open(url, password, DEFAULT_POOL_SIZE);
  }

  static PostgresMetadataStore open(PostgresUrl url, String password, int poolSize) {
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(poolConfig(url, password, poolSize));
    } catch (RuntimeException e) {
      throw new StorageFailureException(
          "opening metadata database " + url + " failed: " + rootMessage(e), e);
    }
    try (Connection c = pool.getConnection()) {
      checkServer(c);
      PostgresSchema.migrate(c);
    } catch (SQLException e) {
      pool.close();
      throw new StorageFailureException(
          "opening metadata database " + url + " failed: " + e.getMessage(), e);
    }
    return new PostgresMetadataStore(new PostgresDatabase(pool));
  }

  private static HikariConfig poolConfig(PostgresUrl url, String password, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("coffre-metadata");
    config.setJdbcUrl(url.jdbcUrl());
    if (url.user() != null) {
      config.setUsername(url.user());
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(Math.min(2, size));
    config.setConnectionTimeout(CONNECTION_WAIT.toMillis());
    config.setValidationTimeout(2_000);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    // Defaults for the driver; parameters in the URL take precedence.
    Properties driver = new Properties();
    driver.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_S));
    driver.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_S * 2));
    driver.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_S));
    driver.setProperty("tcpKeepAlive", "true");
    driver.setProperty("ApplicationName", "coffre");
    config.setDataSourceProperties(driver);
    return config;
  }

  /** Refuses a server too old for the schema, or one that would acknowledge commits it may lose. */
  private static void checkServer(Connection c) throws SQLException {
    int major = c.getMetaData().getDatabaseMajorVersion();
    if (major < 12) {
      throw new SQLException("PostgreSQL " + major + " is too old; Coffre needs 12 or newer");
    }
    for (String setting : new String[] {"fsync", "synchronous_commit"}) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW " + setting)) {
        rs.next();
        if ("off".equalsIgnoreCase(rs.getString(1))) {
          throw new SQLException(
              "the server runs with "
                  + setting
                  + "=off: it would acknowledge commits that a crash"
                  + " can lose, and Coffre acknowledges a write only once it is durable; turn "
                  + setting
                  + " on");
        }
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /**
   * The random id this database was given when its schema was made: the same through restarts,
   * failovers to a replica and restores from a backup, different for any other database.
   */
  public String databaseId() {
    return db.databaseId();
  }

  /** Range queries the lister has run; for tests that check listing cost. */
  int listQueries() {
    return db.listQueries().get();
  }

  @Override
  public void close() {
    db.close();
  }

  @Override
  public void sealValuesWith(ValueSealer sealer) {
    db.sealing().use(sealer);
  }

  @Override
  public int sealClearValues(int max) {
    return db.transaction(
        "sealClearValues", s -> new ClearValues(s.connection(), db.sealing()).seal(max));
  }
}
