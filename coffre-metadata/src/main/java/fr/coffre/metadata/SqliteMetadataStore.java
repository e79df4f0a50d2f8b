package fr.coffre.metadata;

import fr.coffre.core.StorageFailureException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The embedded metadata store: one SQLite database file, opened once, that every aggregate of
 * {@link MetadataStore} shares.
 *
 * <h2>What it guarantees, and why</h2>
 *
 * <ul>
 *   <li><b>A returned mutation is durable.</b> The database runs in WAL mode with {@code
 *       synchronous=FULL}: a commit appends to the write-ahead log and fsyncs it before it returns,
 *       so a committed row survives a crash or a power cut. This is what makes "an acknowledged
 *       write is durable" true: the object row is committed before the 200. With {@code
 *       synchronous=NORMAL} a WAL commit is synced only at the next checkpoint; a power cut would
 *       then lose objects that clients were told are stored, and the start-up janitor would delete
 *       their blobs as orphans.
 *   <li><b>A mutation is all or nothing.</b> Each mutating method is one transaction ({@link
 *       SqlDatabase#transaction}), rolled back on any exception, domain errors included: a put
 *       refused by its condition or a quota, or a completion whose upload is gone, changes nothing.
 *       The checks (If-Match, If-None-Match, quotas, the upload still existing) run inside the same
 *       transaction as the write they guard, so no other write can come between them.
 *   <li><b>One writer, and one caller at a time.</b> One connection serves everything, under one
 *       lock. SQLite has a single writer anyway; taking the lock in Java means our own threads
 *       never meet {@code SQLITE_BUSY}, and a read-check-write sequence is never interleaved with
 *       another (the racing create-only puts of the contract suite rely on it). Plain reads run
 *       beside it on a few read-only connections, each read in a WAL snapshot, so they do not queue
 *       behind a write's fsync; every check-then-write stays a transaction, on the writer's side of
 *       the lock. Transactions are committed in groups, several callers under one fsync, each in
 *       its own savepoint ({@link SqliteDatabase}).
 *   <li><b>Relations hold.</b> {@code foreign_keys=ON} enforces references and runs the cascades: a
 *       bucket's share links go with it, a user's keys and policies with the user. Triggers keep
 *       {@code bucket_usage} exact; the store overwrites with {@code UPDATE} (which fires {@code
 *       object_resized}), and {@code recursive_triggers=ON} makes an {@code INSERT OR REPLACE} run
 *       by hand fire the delete trigger too, instead of counting an overwrite twice.
 *   <li><b>Destroyed keys are gone.</b> {@code secure_delete=ON} overwrites deleted content instead
 *       of leaving it in free pages, and destroying a KMS key then checkpoints the log ({@code
 *       wal_checkpoint(TRUNCATE)}) so the material does not linger there either: crypto-shredding
 *       depends on both.
 *   <li><b>The schema is the code's.</b> {@link Schema} applies its migrations at open, each in its
 *       own transaction, and refuses a database newer than the code.
 * </ul>
 *
 * <p>{@code busy_timeout} covers only other processes that open the file (an operator's {@code
 * sqlite3} shell, an offline check); within the process the lock already serializes.
 *
 * <h2>How it is built</h2>
 *
 * {@link SqliteDatabase} holds the connection, the lock and transactions; one class per aggregate
 * ({@link SqlBuckets}, {@link SqlObjects}, {@link SqlUploads}, {@link SqlKms}, {@link
 * SqlIdentities}, {@link SqlShares}), shared with {@link PostgresMetadataStore}, runs its work in a
 * read or a transaction of the database and orchestrates, and the {@code *Rows} classes hold the
 * SQL. Since every aggregate uses the one connection, an operation that spans aggregates (a
 * multipart completion writes an object; deleting a bucket removes its uploads) is still one
 * transaction. The row locks the aggregate classes ask for ({@link Dialect}) are PostgreSQL's: here
 * the one lock already keeps everything apart.
 */
public final class SqliteMetadataStore extends DelegatingMetadataStore {
  /**
   * Read-only connections beside the writer: reads run on them, in a snapshot, without waiting for
   * the writer's lock or its fsync ({@link SqliteDatabase}). A few are enough on a small machine; a
   * reader is held for one store call only. The system property {@code coffre.sqlite.readers}
   * changes the number; 0 runs reads on the writer under its lock, as before (for comparisons).
   */
  private static final int READERS = Math.max(0, Integer.getInteger("coffre.sqlite.readers", 4));

  private final SqliteDatabase db;

  private SqliteMetadataStore(SqliteDatabase db) {
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

  public static SqliteMetadataStore open(Path file) {
    return new SqliteMetadataStore(database(file));
  }

  /** Opens (creating and migrating) the database of {@code file}, its writer and its readers. */
  static SqliteDatabase database(Path file) {
    try {
      String name = file.toAbsolutePath().toString();
      Connection c = new ReusingSqliteConnection("jdbc:sqlite:" + name, name, writerSettings());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA foreign_keys=ON");
        s.execute("PRAGMA busy_timeout=10000");
        // Deleted content is overwritten, not left in free pages: destroyed key material is gone.
        s.execute("PRAGMA secure_delete=ON");
        // An INSERT OR REPLACE (run by hand) then fires the delete triggers, which keep
        // bucket_usage exact.
        s.execute("PRAGMA recursive_triggers=ON");
      }
      Schema.migrate(c);
      List<Connection> readers = new ArrayList<>();
      for (int i = 0; i < READERS; i++) {
        Connection r = new ReusingSqliteConnection("jdbc:sqlite:" + name, name);
        readers.add(r);
        try (Statement s = r.createStatement()) {
          s.execute("PRAGMA busy_timeout=10000");
          s.execute("PRAGMA query_only=ON"); // a write by mistake on a reader fails loudly
        }
      }
      return new SqliteDatabase(c, readers);
    } catch (SQLException e) {
      throw new StorageFailureException("opening metadata database " + file + " failed", e);
    }
  }

  /**
   * The writer's transactions begin with {@code BEGIN IMMEDIATE}, which takes the write lock at
   * once, waiting up to {@code busy_timeout} if another connection holds it. A deferred {@code
   * BEGIN} (the driver's default) takes it only at the first write, after the transaction's reads,
   * and SQLite does not wait then (a transaction that has read cannot wait for a lock without
   * risking a deadlock): a put failed at once with {@code SQLITE_BUSY} whenever another connection
   * held the lock for an instant, as an operator's {@code sqlite3} shell does, and as a connection
   * does when it re-reads the log's header it saw change under load (503s in bench/growth.sh). Our
   * own threads never wait here: they are serialized by the lock of {@link SqliteDatabase}.
   */
  private static Properties writerSettings() {
    Properties p = new Properties();
    p.setProperty("transaction_mode", "IMMEDIATE");
    return p;
  }

  /**
   * Writes a consistent copy of the database {@code live} into the new file {@code out} while
   * another connection (a running server) may be writing to it: {@code VACUUM INTO} reads in one
   * transaction, so the copy holds every commit before it began and none after, with the WAL folded
   * in. Nothing of the live database is changed.
   */
  public static void snapshot(Path live, Path out) {
    if (!Files.isRegularFile(live)) {
      throw new StorageFailureException("no metadata database at " + live, null);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + live.toAbsolutePath())) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout=10000");
      }
      try (PreparedStatement p = c.prepareStatement("VACUUM INTO ?")) {
        p.setString(1, out.toAbsolutePath().toString());
        p.execute();
      }
    } catch (SQLException e) {
      throw new StorageFailureException(
          "copying metadata database " + live + " to " + out + " failed", e);
    }
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
