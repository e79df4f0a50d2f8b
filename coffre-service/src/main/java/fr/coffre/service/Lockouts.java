package fr.coffre.service;

import fr.coffre.core.LogText;
import fr.coffre.metadata.LockoutStore;
import fr.coffre.metadata.LockoutStore.Failures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed authentications, counted per subject: after {@code threshold} failures within {@code
 * window} the subject is locked for {@code lockFor} (doubling at each new lock-out, up to a day).
 * Each lock-out is logged and listed for the operator, who may clear it.
 *
 * <p>Two kinds of subject, because access key ids are public (every presigned URL shows one):
 *
 * <ul>
 *   <li>{@link #failedSignature}: a bad S3 signature counts against the key <em>from that client
 *       address</em>, and only requests signed with that key from that address are refused. A
 *       stranger who knows the id throttles themselves, not the key's owner.
 *   <li>{@link #failed}: an interactive sign-in, where a person types the secret (console, share
 *       link password): counted against the key from anywhere, as SecNumCloud asks; it locks
 *       interactive sign-ins with that key, not the key's S3 requests.
 * </ul>
 *
 * <p><b>Cluster-wide.</b> The counts are rows of the metadata database ({@link LockoutStore}), in a
 * realm per table of lock-outs: failures spread across the nodes of a cluster add up, a lock-out
 * made on one node holds on all, the operator lists and clears every node's, and a restart forgets
 * nothing. Each failure is one transaction; a success writes nothing:
 *
 * <ul>
 *   <li>An interactive check ({@link #lockedUntil(String)}) reads the subject's row: a sign-in
 *       already costs a password hash, the read is nothing beside it, and it is exact.
 *   <li>The check of every S3 request ({@link #lockedUntil(String, String)}) reads a view of the
 *       realm's <em>locked</em> subjects kept in memory and reloaded (one indexed query returning
 *       only locked rows) at most every {@code refresh} (a second by default), by one request while
 *       the others use the view they have. A lock made on this node enters the view at once; one
 *       made on another node within {@code refresh}, or at the next failure here (whose transaction
 *       reads the row). A valid request thus costs a map look-up, and one query per second per
 *       node.
 *   <li>A failure of a subject the view already knows as locked is not written: it could neither
 *       lock nor lengthen anything, and a flood from a locked address costs no write. {@link
 *       Entry#totalFailures} counts the failures outside lock-outs.
 * </ul>
 *
 * <p>Bounded whatever clients send: an id is cut at {@value #MAX_SUBJECT_LENGTH} characters, each
 * subject keeps at most {@code threshold} timestamps, and at most about {@value #MAX_TRACKED}
 * subjects are tracked per realm (nodes racing on new subjects may pass it by a few). When the
 * table is full, quiet subjects are forgotten first, then the unlocked ones whose last failure is
 * oldest, and only then the locks that end soonest.
 */
public final class Lockouts {
  static final int MAX_TRACKED = 10_000;
  static final int MAX_SUBJECT_LENGTH = 128;

  /** How long the view of locked subjects serves before it is reloaded. */
  static final Duration REFRESH = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(Lockouts.class);

  /** The stored address of a count from any address (interactive sign-ins). */
  private static final String ANYWHERE = "";

  /**
   * What the operator sees of one subject's failures; {@code source} is the client address the
   * count is for, or null for a count from any address (interactive sign-ins).
   */
  public record Entry(
      String accessKey,
      @Nullable String source,
      int recentFailures,
      long totalFailures,
      Instant lastFailure,
      @Nullable String lastSource,
      @Nullable Instant lockedUntil,
      int lockouts) {}

  private record Subject(String key, String source) {}

  /** The realm's locked subjects as last loaded, and when. */
  private record View(Map<Subject, Instant> locked, Instant loaded) {}

  private final LockoutStore store;
  private final String realm;
  private final Clock clock;
  private final int threshold;
  private final Duration window;
  private final Duration lockFor;
  private final int maxTracked;
  private final Duration refresh;
  private volatile View view = new View(Map.of(), Instant.MIN);
  private final AtomicBoolean loading = new AtomicBoolean();

  /**
   * @param realm the table these counts belong to (its subjects never mix with another's)
   */
  public Lockouts(
      LockoutStore store,
      String realm,
      Clock clock,
      int threshold,
      Duration window,
      Duration lockFor) {
    this(store, realm, clock, threshold, window, lockFor, MAX_TRACKED, REFRESH);
  }

  Lockouts(
      LockoutStore store,
      String realm,
      Clock clock,
      int threshold,
      Duration window,
      Duration lockFor,
      int maxTracked,
      Duration refresh) {
    if (threshold < 1) {
      throw new IllegalArgumentException("lock-out threshold must be at least 1, got " + threshold);
    }
    if (maxTracked < 10) {
      throw new IllegalArgumentException(
          "lock-outs must track at least 10 subjects, got " + maxTracked);
    }
    this.store = store;
    this.realm = realm;
    this.clock = clock;
    this.threshold = threshold;
    this.window = window;
    this.lockFor = lockFor;
    this.maxTracked = maxTracked;
    this.refresh = refresh;
  }

  /**
   * When interactive sign-ins with {@code accessKey} may resume, or null if they are not locked.
   * Reads the database: exact on every node.
   */
  public @Nullable Instant lockedUntil(String accessKey) {
    Instant now = clock.instant();
    return store
        .failures(realm, cut(accessKey), ANYWHERE)
        .filter(f -> f.lockedAt(now))
        .map(Failures::lockedUntil)
        .orElse(null);
  }

  /**
   * When requests signed with {@code accessKey} from {@code source} may resume, or null. Reads the
   * view of locked subjects (no query but its reload, see the class comment).
   */
  public @Nullable Instant lockedUntil(String accessKey, String source) {
    Instant now = clock.instant();
    Instant until = view(now).locked().get(new Subject(cut(accessKey), cut(source)));
    return until != null && until.isAfter(now) ? until : null;
  }

  /**
   * The latest end of any lock-out of {@code accessKey} (from any address), or null: for the
   * operator.
   */
  public @Nullable Instant lockedAnywhere(String accessKey) {
    Instant now = clock.instant();
    return store.failuresOf(realm, cut(accessKey)).stream()
        .filter(f -> f.lockedAt(now))
        .map(Failures::lockedUntil)
        .max(Comparator.naturalOrder())
        .orElse(null);
  }

  /**
   * Records a failed interactive sign-in with {@code accessKey} (from {@code source}, for the
   * record).
   */
  public void failed(@Nullable String accessKey, @Nullable String source) {
    if (accessKey != null) {
      record(new Subject(cut(accessKey), ANYWHERE), cut(source));
    }
  }

  /** Records a bad S3 signature claiming {@code accessKey} from {@code source}. */
  public void failedSignature(@Nullable String accessKey, @Nullable String source) {
    if (accessKey != null) {
      String from = cut(source);
      record(new Subject(cut(accessKey), from), from);
    }
  }

  private void record(Subject subject, String source) {
    Instant now = clock.instant();
    Instant known = view(now).locked().get(subject);
    if (known != null && known.isAfter(now)) {
      return; // locked already: the failure changes nothing, so it costs no write
    }
    AtomicBoolean locked = new AtomicBoolean();
    Failures after =
        store.updateFailures(
            realm,
            subject.key(),
            subject.source(),
            now,
            maxTracked,
            now.minus(window),
            f -> {
              locked.set(false);
              return fail(f, now, source, locked);
            });
    if (after.lockedAt(now)) {
      remember(subject, after.lockedUntil());
    }
    if (locked.get()) {
      LOG.warn(
          "access key {} locked until {} {} after {} failed authentications within {} (last from {})",
          subject.key(),
          after.lockedUntil(),
          subject.source().isEmpty()
              ? "for interactive sign-ins"
              : "for requests from " + subject.source(),
          threshold,
          window,
          source);
    }
  }

  /** The row after one more failure at {@code now}: the lock-out rule, applied in the store. */
  private Failures fail(Failures f, Instant now, String source, AtomicBoolean locked) {
    if (f.lockedAt(now)) {
      // Another node locked it meanwhile: counted, nothing more.
      return new Failures(
          f.realm(),
          f.accessKey(),
          f.source(),
          f.recent(),
          f.total() + 1,
          now,
          source,
          f.lockedUntil(),
          f.lockouts());
    }
    List<Instant> recent = new ArrayList<>(f.recent());
    recent.add(now);
    Instant since = now.minus(window);
    recent.removeIf(t -> t.isBefore(since));
    while (recent.size() > threshold) {
      recent.remove(0);
    }
    Instant until = f.lockedUntil();
    int lockouts = f.lockouts();
    if (recent.size() >= threshold) {
      lockouts++;
      Duration d = lockFor.multipliedBy(1L << Math.min(lockouts - 1, 10));
      if (d.compareTo(Duration.ofDays(1)) > 0) {
        d = Duration.ofDays(1);
      }
      until = now.plus(d);
      recent.clear();
      locked.set(true);
    }
    return new Failures(
        f.realm(), f.accessKey(), f.source(), recent, f.total() + 1, now, source, until, lockouts);
  }

  /**
   * Lifts every lock-out of a key and forgets its failures, on every node (other nodes' views drop
   * it at their next reload); false if nothing was recorded for it.
   */
  public boolean clear(String accessKey) {
    String key = cut(accessKey);
    boolean any = store.clearFailures(realm, key) > 0;
    synchronized (this) {
      View v = view;
      Map<Subject, Instant> locked = new HashMap<>(v.locked());
      if (locked.keySet().removeIf(s -> s.key().equals(key))) {
        view = new View(Map.copyOf(locked), v.loaded());
      }
    }
    return any;
  }

  /** Every subject with recorded failures (every node's), locked ones first, then by latest. */
  public List<Entry> entries() {
    Instant now = clock.instant();
    Instant since = now.minus(window);
    List<Entry> all = new ArrayList<>();
    for (Failures f : store.allFailures(realm)) {
      all.add(
          new Entry(
              f.accessKey(),
              f.source().isEmpty() ? null : f.source(),
              (int) f.recent().stream().filter(t -> !t.isBefore(since)).count(),
              f.total(),
              f.last(),
              f.lastSource(),
              f.lockedAt(now) ? f.lockedUntil() : null,
              f.lockouts()));
    }
    all.sort(
        Comparator.comparing((Entry e) -> e.lockedUntil() == null)
            .thenComparing(Entry::lastFailure, Comparator.reverseOrder()));
    return all;
  }

  /** How many subjects are tracked (bounded by the table's size). */
  int tracked() {
    return store.countFailures(realm);
  }

  /** The view of locked subjects, reloaded first when it is older than {@code refresh}. */
  private View view(Instant now) {
    View v = view;
    boolean stale = now.isBefore(v.loaded()) || !now.isBefore(v.loaded().plus(refresh));
    if (stale && loading.compareAndSet(false, true)) {
      try {
        Map<Subject, Instant> locked = new HashMap<>();
        for (Failures f : store.lockedFailures(realm, now)) {
          locked.put(new Subject(f.accessKey(), f.source()), f.lockedUntil());
        }
        synchronized (this) {
          view = v = new View(Map.copyOf(locked), now);
        }
      } catch (RuntimeException e) {
        // The database is away: keep the view we have (the failures it misses cannot be written
        // either) and try again a period later, not at every request.
        LOG.warn("lock-outs '{}': could not reload the locked subjects: {}", realm, e.toString());
        synchronized (this) {
          view = v = new View(view.locked(), now); // next try after another period
        }
      } finally {
        loading.set(false);
      }
    }
    return v;
  }

  /** Puts a lock made (or seen) here into the view at once. */
  private synchronized void remember(Subject subject, @Nullable Instant until) {
    if (until == null) {
      return;
    }
    View v = view;
    Map<Subject, Instant> locked = new HashMap<>(v.locked());
    locked.put(subject, until);
    view = new View(Map.copyOf(locked), v.loaded());
  }

  /**
   * At most {@value #MAX_SUBJECT_LENGTH} characters, control characters replaced (they reach the
   * log and the database).
   */
  private static String cut(@Nullable String text) {
    if (text == null) {
      return ANYWHERE;
    }
    String c = text.length() <= MAX_SUBJECT_LENGTH ? text : text.substring(0, MAX_SUBJECT_LENGTH);
    return LogText.printable(c);
  }
}
