package fr.coffre.metadata;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Reads of buckets and their settings, kept until the next change: each is stored with the epoch it
 * was read under ({@link SqlDatabase#cacheEpoch}) and served only while that epoch is current. Any
 * commit that changes a row of {@code buckets} or {@code bucket_settings}, whichever store method
 * made it, ends the epoch (triggers count the changes in the transaction itself, migration 17), so
 * nothing kept here can hide a change that was acknowledged: a bucket's policy changed a
 * microsecond ago is read again. Writes of objects do not end it.
 *
 * <p><b>Why it exists.</b> A small GET read its bucket three times (authorization, the audit
 * record's chains, the access-logging rule) and a setting or two, each a SQLite read transaction:
 * about a fifth of the request's CPU. Buckets and their settings change rarely; between two writes
 * they are read thousands of times.
 *
 * <p><b>What breaks if you change it.</b> Keeping a result past a commit (a time to live instead of
 * an epoch) lets a revoked policy grant access after its revocation was acknowledged. Keeping a
 * read made inside a transaction (uncommitted rows) would show other callers a change that may be
 * rolled back: {@link SqlDatabase#cacheEpoch} is negative there, and nothing is kept. A store
 * shared with other processes (PostgreSQL) cannot see their commits, so it keeps nothing at all.
 *
 * <p>Bounded: past {@code capacity} entries the cache is emptied (entries of ended epochs are never
 * served again anyway).
 */
final class ReadCache<K, V> {
  private record Entry<V>(long epoch, V value) {}

  private final int capacity;
  private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
  private final AtomicLong hits = new AtomicLong();

  ReadCache(int capacity) {
    this.capacity = capacity;
  }

  /** The value kept for {@code key} under {@code epoch}, or null. */
  @Nullable V get(K key, long epoch) {
    Entry<V> e = entries.get(key);
    if (e == null || e.epoch() != epoch) {
      return null;
    }
    hits.incrementAndGet();
    return e.value();
  }

  void put(K key, long epoch, V value) {
    if (entries.size() >= capacity) {
      entries.clear();
    }
    entries.put(key, new Entry<>(epoch, value));
  }

  /** Reads answered from the cache; for tests. */
  long hits() {
    return hits.get();
  }
}
