package fr.coffre.metadata;

import fr.coffre.core.StorageFailureException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open SQL database as the aggregate classes ({@link SqlBuckets}, {@link SqlObjects}, ...) use
 * it: each call of a store runs its work on a {@link Session}, either as reads or as one
 * transaction. {@link SqliteDatabase} runs everything on its one connection under a lock; {@link
 * PostgresDatabase} lends each call a connection of its pool.
 *
 * <p>Both turn an {@link SQLException} into a {@link StorageFailureException} naming the call;
 * domain errors thrown by the work pass through unchanged, after a rollback.
 */
abstract class SqlDatabase {
  private final AtomicInteger listQueries = new AtomicInteger();
  private final Sealing sealing = new Sealing();

  /** Work on a session; an SQLException it throws becomes a StorageFailureException naming it. */
  @FunctionalInterface
  interface Work<T> {
    T run(Session session) throws SQLException;
  }

  /** Runs reads; each statement sees committed rows, the work as a whole needs no snapshot. */
  abstract <T> T read(String what, Work<T> work);

  /**
   * Runs reads through {@code cache}: a result kept under the current commit epoch is returned
   * without reading; otherwise the read runs and, when reads made now may be kept, its result is.
   */
  final <K, V> V read(String what, ReadCache<K, V> cache, K key, Work<V> work) {
    long epoch = cacheEpoch();
    if (epoch < 0) {
      return read(what, work);
    }
    V kept = cache.get(key, epoch);
    if (kept != null) {
      return kept;
    }
    V value = read(what, work);
    cache.put(key, epoch, value);
    return value;
  }

  /**
   * The epoch of commits a read made now by this thread may be kept under ({@link ReadCache}): a
   * number that changes at every commit, before its caller is answered; or -1 when nothing read now
   * may be kept (inside a transaction, or a database other processes write to).
   */
  long cacheEpoch() {
    return -1;
  }

  /**
   * Runs {@code work} as one transaction, committed (and durable) when this returns, rolled back if
   * it throws.
   */
  abstract <T> T transaction(String what, Work<T> work);

  /**
   * Called after rows holding key material were deleted: make their bytes unrecoverable as far as
   * the database allows (see each implementation).
   */
  abstract void scrubDeleted();

  abstract void close();

  /** Range queries the listers have run, for tests that check listing cost. */
  final AtomicInteger listQueries() {
    return listQueries;
  }

  final Sealing sealing() {
    return sealing;
  }

  static StorageFailureException failure(String what, SQLException e) {
    return new StorageFailureException("metadata " + what + " failed: " + e.getMessage(), e);
  }
}
