package fr.coffre.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Failed authentications, counted per subject, shared by every node through the metadata database,
 * so that failures spread across nodes add up. A subject is an access key (or another claimed name)
 * and a client address, or the empty address for a count from anywhere; subjects live in
 * <em>realms</em> (one per table of lock-outs) that never see each other's rows. What a failure
 * does to a count (the threshold, the lock-out it leads to) is the caller's rule, applied to the
 * row inside the transaction ({@link #updateFailures}); this layer only keeps the table atomic and
 * bounded. Each mutating method is one durable transaction.
 */
public interface LockoutStore {

  /**
   * One subject's failures: the recent ones' instants (oldest first, at most the caller's
   * threshold), how many were recorded in all, the last one and its address, the lock-out in force
   * (or one that has ended) and how many lock-outs there were.
   */
  record Failures(
      String realm,
      String accessKey,
      String source,
      List<Instant> recent,
      long total,
      Instant last,
      @Nullable String lastSource,
      @Nullable Instant lockedUntil,
      int lockouts) {
    public Failures {
      recent = List.copyOf(recent);
    }

    public boolean lockedAt(Instant now) {
      return lockedUntil != null && lockedUntil.isAfter(now);
    }
  }

  /**
   * In one transaction that holds the subject's row: reads it (a new subject starts with no
   * failures, {@code last} = {@code now}), applies {@code change} and writes the result, which it
   * returns. A new subject in a realm that then holds more than {@code maxTracked} rows first makes
   * room for it: the subjects neither locked at {@code now} nor failing since {@code quietBefore}
   * are forgotten; if more than nine tenths of {@code maxTracked} remain, the unlocked ones whose
   * last failure is oldest, and only then the locks that end soonest, until nine tenths remain.
   */
  Failures updateFailures(
      String realm,
      String accessKey,
      String source,
      Instant now,
      int maxTracked,
      Instant quietBefore,
      UnaryOperator<Failures> change);

  Optional<Failures> failures(String realm, String accessKey, String source);

  /** One access key's subjects of the realm (every address). */
  List<Failures> failuresOf(String realm, String accessKey);

  /** Every subject of the realm. */
  List<Failures> allFailures(String realm);

  /** The subjects of the realm locked at {@code now}: the small view a hot path may cache. */
  List<Failures> lockedFailures(String realm, Instant now);

  /** Forgets an access key's failures and lock-outs (every address); how many subjects. */
  int clearFailures(String realm, String accessKey);

  /**
   * Forgets, in every realm, the subjects not locked at {@code now} whose last failure is before
   * {@code quietBefore} (their lock-out count, which doubles the next lock, with them); how many.
   */
  int forgetQuietFailures(Instant quietBefore, Instant now);

  /** How many subjects the realm tracks. */
  int countFailures(String realm);
}
