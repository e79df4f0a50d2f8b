package fr.coffre.metadata;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The open SQLite database: its one connection, the lock that lets one caller at a time use it, and
 * transactions, committed in groups. See {@link SqliteMetadataStore} for why.
 *
 * <p><b>Group commit.</b> With {@code synchronous=FULL} every commit is an fsync of the log, made
 * under the lock: alone, a commit per request capped small writes at one per fsync (about 500 a
 * second here) while every reader waited behind it. A transaction is therefore queued, and whoever
 * holds the lock next runs every transaction waiting, each inside its own savepoint, then commits
 * them with one fsync. A transaction that throws is rolled back to its savepoint alone and its
 * caller gets the exception; the others are unaffected. Nobody returns before the commit that holds
 * its changes: a failed commit fails every transaction of the group, none of them acknowledged.
 * Transactions of a group run one after the other and each sees the ones before it, as if they had
 * been committed one by one.
 *
 * <p><b>Readers beside the writer.</b> With readers ({@link #SqliteDatabase(Connection, List)}), a
 * {@link #read} runs on a read-only connection of its own ({@code query_only}), in a read
 * transaction: WAL gives it a snapshot of the last commit when it starts, and it neither waits for
 * the writer's lock nor for the fsync of a group commit in flight. A read therefore sees what it
 * saw under the lock (a state between two commits, every commit acknowledged before it began), but
 * no longer queues behind writes. Reads made by a thread that holds the lock (inside a transaction,
 * or in {@link #scrubDeleted}) stay on the writer's connection, so a transaction sees its own rows;
 * a read nested in a read reuses the outer one's connection. Check-then-write sequences are
 * transactions and run on the writer, under the lock, as before.
 */
final class SqliteDatabase extends SqlDatabase {
  private final Connection connection;
  private final Session session;
  private final List<Connection> readerConnections;
  private final BlockingQueue<Session> readers;
  private final ThreadLocal<@Nullable Session> readerInUse = new ThreadLocal<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentLinkedQueue<Pending<?>> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong transactions = new AtomicLong();
  // Changed after every commit that changed a bucket or a setting, before its callers are
  // answered; lastBucketChanges is the change counter it was set for (writer only, under the lock).
  private final AtomicLong bucketsEpoch = new AtomicLong();
  private long lastBucketChanges = -1;
  private static final String BUCKET_CHANGES =
      "SELECT value FROM change_counters WHERE name = 'buckets'";

  /** A database whose reads, too, run on the one connection under the lock. */
  SqliteDatabase(Connection connection) {
    this(connection, List.of());
  }

  /**
   * A database writing on {@code connection} and reading on {@code readers}: connections to the
   * same file, opened read-only ({@code PRAGMA query_only}) by the caller.
   */
  SqliteDatabase(Connection connection, List<Connection> readers) {
    this.connection = connection;
    this.session = new Session(connection, Dialect.SQLITE, listQueries(), sealing());
    this.readerConnections = List.copyOf(readers);
    this.readers = new ArrayBlockingQueue<>(Math.max(1, readers.size()));
    for (Connection r : readers) {
      this.readers.add(new Session(r, Dialect.SQLITE, listQueries(), sealing()));
    }
  }

  /**
   * Runs {@code work} on a reader in one read transaction (a snapshot), or holding the lock when
   * there are no readers or this thread holds it already; a database failure becomes a
   * StorageFailureException.
   */
  @Override
  <T> T read(String what, Work<T> work) {
    Session nested = readerInUse.get();
    if (nested != null) {
      try {
        return work.run(nested);
      } catch (SQLException e) {
        throw failure(what, e);
      }
    }
    if (readerConnections.isEmpty() || lock.isHeldByCurrentThread()) {
      return onWriter(what, work);
    }
    Session reader;
    try {
      reader = readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(what, new SQLException("interrupted while waiting for a reader", e));
    }
    readerInUse.set(reader);
    try {
      return inSnapshot(reader, work);
    } catch (SQLException e) {
      throw failure(what, e);
    } finally {
      readerInUse.remove();
      readers.add(reader);
    }
  }

  /** Runs {@code work} in one read transaction of {@code reader}, ended whatever happens. */
  private static <T> T inSnapshot(Session reader, Work<T> work) throws SQLException {
    Connection c = reader.connection();
    c.setAutoCommit(false); // a deferred BEGIN: the snapshot is taken by the first statement
    try {
      return work.run(reader);
    } finally {
      if (c instanceof ReusingSqliteConnection reusing) {
        reusing.resetLeaked(); // a statement left open would hold the snapshot past this read
      }
      c.setAutoCommit(true); // ends the read transaction (nothing to write, no fsync)
    }
  }

  @Override
  long cacheEpoch() {
    // This process is the database's only writer (the data directory's lock), and every write goes
    // through transaction(); a thread holding the lock may be reading uncommitted rows.
    return lock.isHeldByCurrentThread() ? -1 : bucketsEpoch.get();
  }

  /**
   * Under the lock, after a commit or a rollback and before anyone is answered: starts a new epoch
   * when buckets or their settings changed (the counter migration 17's triggers keep), or when the
   * counter cannot be read.
   */
  private void publishChanges() {
    long changes;
    try (PreparedStatement ps = connection.prepareStatement(BUCKET_CHANGES);
        ResultSet rs = ps.executeQuery()) {
      changes = rs.next() ? rs.getLong(1) : -1;
    } catch (SQLException e) {
      changes = -1;
    }
    if (changes < 0 || changes != lastBucketChanges) {
      bucketsEpoch.incrementAndGet();
      lastBucketChanges = changes;
    }
  }

  /** Runs {@code work} on the writer's connection, holding the lock. */
  private <T> T onWriter(String what, Work<T> work) {
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
    if (lock.isHeldByCurrentThread()) {
      return alone(what, work); // called from within a read: no group to join
    }
    Pending<T> mine = new Pending<>(what, work);
    waiting.add(mine);
    lock.lock();
    try {
      if (!mine.done) {
        commitWaiting();
      }
    } finally {
      lock.unlock();
    }
    return mine.outcome();
  }

  /** Transactions committed, and the commits that did it; for tests and the benchmark notes. */
  long[] groupCommits() {
    return new long[] {transactions.get(), commits.get()};
  }

  /** One transaction on its own, as before group commit: for a caller that holds the lock. */
  private <T> T alone(String what, Work<T> work) {
    try {
      if (!connection.getAutoCommit()) {
        return work.run(session); // inside a transaction already: part of it
      }
      connection.setAutoCommit(false);
      try {
        T result = work.run(session);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
        publishChanges();
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /** Under the lock: runs every waiting transaction, each in a savepoint, and commits them once. */
  private void commitWaiting() {
    List<Pending<?>> group = new ArrayList<>();
    for (Pending<?> p; (p = waiting.poll()) != null; ) {
      group.add(p);
    }
    if (group.isEmpty()) {
      return;
    }
    try {
      connection.setAutoCommit(false);
      try {
        for (Pending<?> p : group) {
          runInSavepoint(p);
        }
        connection.commit();
        commits.incrementAndGet();
        transactions.addAndGet(group.size());
        for (Pending<?> p : group) {
          p.committed = true;
        }
      } catch (SQLException | RuntimeException e) {
        rollBackQuietly(e);
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException | RuntimeException e) {
      for (Pending<?> p : group) {
        p.failIfNotYet(e);
      }
    } finally {
      publishChanges(); // before anyone of the group is answered
      for (Pending<?> p : group) {
        p.done = true;
      }
    }
  }

  private void runInSavepoint(Pending<?> p) throws SQLException {
    execute("SAVEPOINT tx");
    try {
      p.run(session);
    } catch (SQLException | RuntimeException e) {
      p.fail(e);
      execute("ROLLBACK TO tx"); // throws when SQLite already gave up the whole transaction
    }
    execute("RELEASE tx");
  }

  private void execute(String sql) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.execute();
    }
  }

  private void rollBackQuietly(Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** A transaction waiting for its group: its work, then its result or its failure. */
  private static final class Pending<T> {
    private final String what;
    private final Work<T> work;
    private @Nullable T result;
    private @Nullable Exception failure;
    private @Nullable Exception groupFailure;
    private boolean committed;
    private volatile boolean done;

    Pending(String what, Work<T> work) {
      this.what = what;
      this.work = work;
    }

    void run(Session s) throws SQLException {
      result = work.run(s);
    }

    void fail(Exception e) {
      failure = e;
    }

    /** The group's commit failed: this transaction failed too unless it had already. */
    void failIfNotYet(Exception e) {
      if (failure == null) {
        groupFailure = e;
      }
    }

    @SuppressWarnings("NullAway") // a work may return null, as Work allows
    T outcome() {
      if (!done) {
        throw new IllegalStateException("transaction " + what + " left without an outcome");
      }
      Exception e = failure != null ? failure : groupFailure;
      if (e instanceof SQLException sql) {
        throw failure(what, sql);
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      if (!committed) {
        throw new IllegalStateException("transaction " + what + " was not committed");
      }
      return result;
    }
  }

  /**
   * Copies the write-ahead log into the database file and empties it, so that rows deleted with
   * {@code secure_delete} (overwritten in the database) do not linger in the log either.
   */
  @Override
  void scrubDeleted() {
    onWriter(
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
    onWriter(
        "close",
        s -> {
          for (Connection r : readerConnections) {
            r.close();
          }
          connection.close();
          return null;
        });
  }
}
