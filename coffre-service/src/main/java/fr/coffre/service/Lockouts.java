package fr.coffre.service;

import fr.coffre.core.LogText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Bounded whatever clients send: an id is cut at {@value #MAX_SUBJECT_LENGTH} characters, each
 * subject keeps at most {@code threshold} timestamps, and at most {@value #MAX_TRACKED} subjects
 * are tracked. When the table is full, quiet subjects are forgotten first, then the unlocked ones
 * whose last failure is oldest, and only then the locks that end soonest. Kept in memory: a restart
 * forgets the counts (an operator-visible event).
 */
public final class Lockouts {
  static final int MAX_TRACKED = 10_000;
  static final int MAX_SUBJECT_LENGTH = 128;
  private static final Logger LOG = LoggerFactory.getLogger(Lockouts.class);

  /**
   * What the operator sees of one subject's failures; {@code source} is the client address the
   * count is for, or null for a count from any address (interactive sign-ins).
   */
  public record Entry(
      String accessKey,
      String source,
      int recentFailures,
      long totalFailures,
      Instant lastFailure,
      String lastSource,
      Instant lockedUntil,
      int lockouts) {}

  private record Subject(String key, String source) {}

  private static final class State {
    final Deque<Instant> recent = new ArrayDeque<>();
    long total;
    Instant last;
    String lastSource;
    Instant lockedUntil;
    int lockouts;

    boolean lockedAt(Instant now) {
      return lockedUntil != null && lockedUntil.isAfter(now);
    }
  }

  private final Clock clock;
  private final int threshold;
  private final Duration window;
  private final Duration lockFor;
  private final int maxTracked;
  private final Map<Subject, State> states = new ConcurrentHashMap<>();

  public Lockouts(Clock clock, int threshold, Duration window, Duration lockFor) {
    this(clock, threshold, window, lockFor, MAX_TRACKED);
  }

  Lockouts(Clock clock, int threshold, Duration window, Duration lockFor, int maxTracked) {
    if (threshold < 1) {
      throw new IllegalArgumentException("lock-out threshold must be at least 1, got " + threshold);
    }
    if (maxTracked < 10) {
      throw new IllegalArgumentException(
          "lock-outs must track at least 10 subjects, got " + maxTracked);
    }
    this.clock = clock;
    this.threshold = threshold;
    this.window = window;
    this.lockFor = lockFor;
    this.maxTracked = maxTracked;
  }

  /**
   * When interactive sign-ins with {@code accessKey} may resume, or null if they are not locked.
   */
  public Instant lockedUntil(String accessKey) {
    return until(new Subject(cut(accessKey), null));
  }

  /** When requests signed with {@code accessKey} from {@code source} may resume, or null. */
  public Instant lockedUntil(String accessKey, String source) {
    return until(new Subject(cut(accessKey), cut(source)));
  }

  /**
   * The latest end of any lock-out of {@code accessKey} (from any address), or null: for the
   * operator.
   */
  public Instant lockedAnywhere(String accessKey) {
    String key = cut(accessKey);
    Instant now = clock.instant();
    Instant latest = null;
    for (Map.Entry<Subject, State> e : states.entrySet()) {
      if (e.getKey().key().equals(key)) {
        State s = e.getValue();
        synchronized (s) {
          if (s.lockedAt(now) && (latest == null || s.lockedUntil.isAfter(latest))) {
            latest = s.lockedUntil;
          }
        }
      }
    }
    return latest;
  }

  private Instant until(Subject subject) {
    State s = states.get(subject);
    if (s == null) {
      return null;
    }
    synchronized (s) {
      return s.lockedAt(clock.instant()) ? s.lockedUntil : null;
    }
  }

  /**
   * Records a failed interactive sign-in with {@code accessKey} (from {@code source}, for the
   * record).
   */
  public void failed(String accessKey, String source) {
    if (accessKey != null) {
      record(new Subject(cut(accessKey), null), cut(source));
    }
  }

  /** Records a bad S3 signature claiming {@code accessKey} from {@code source}. */
  public void failedSignature(String accessKey, String source) {
    if (accessKey != null) {
      record(new Subject(cut(accessKey), cut(source)), cut(source));
    }
  }

  private void record(Subject subject, String source) {
    if (!states.containsKey(subject) && states.size() >= maxTracked) {
      makeRoom();
    }
    State s = states.computeIfAbsent(subject, k -> new State());
    Instant now = clock.instant();
    synchronized (s) {
      s.total++;
      s.last = now;
      s.lastSource = source;
      s.recent.addLast(now);
      while (s.recent.size() > threshold
          || (!s.recent.isEmpty() && s.recent.peekFirst().isBefore(now.minus(window)))) {
        s.recent.removeFirst();
      }
      if (!s.lockedAt(now) && s.recent.size() >= threshold) {
        s.lockouts++;
        Duration d = lockFor.multipliedBy(1L << Math.min(s.lockouts - 1, 10));
        if (d.compareTo(Duration.ofDays(1)) > 0) {
          d = Duration.ofDays(1);
        }
        s.lockedUntil = now.plus(d);
        s.recent.clear();
        LOG.warn(
            "access key {} locked until {} {} after {} failed authentications within {} (last from {})",
            subject.key(),
            s.lockedUntil,
            subject.source() == null
                ? "for interactive sign-ins"
                : "for requests from " + subject.source(),
            threshold,
            window,
            source);
      }
    }
  }

  /**
   * Lifts every lock-out of a key and forgets its failures; false if nothing was recorded for it.
   */
  public boolean clear(String accessKey) {
    String key = cut(accessKey);
    return states.keySet().removeIf(s -> s.key().equals(key));
  }

  /** Every subject with recorded failures, locked ones first, then by latest failure. */
  public List<Entry> entries() {
    Instant now = clock.instant();
    List<Entry> all = new ArrayList<>();
    states.forEach(
        (subject, s) -> {
          synchronized (s) {
            Instant until = s.lockedAt(now) ? s.lockedUntil : null;
            int recent =
                (int) s.recent.stream().filter(t -> !t.isBefore(now.minus(window))).count();
            all.add(
                new Entry(
                    subject.key(),
                    subject.source(),
                    recent,
                    s.total,
                    s.last,
                    s.lastSource,
                    until,
                    s.lockouts));
          }
        });
    all.sort(
        Comparator.comparing((Entry e) -> e.lockedUntil() == null)
            .thenComparing(Entry::lastFailure, Comparator.reverseOrder()));
    return all;
  }

  /** How many subjects are tracked (bounded by the table's size). */
  int tracked() {
    return states.size();
  }

  /**
   * Frees about a tenth of the table: quiet subjects first, then unlocked ones by oldest failure,
   * then the locks that end soonest. Runs only when the table is full, so a flood pays for it once
   * per {@code maxTracked / 10} new subjects.
   */
  private synchronized void makeRoom() {
    if (states.size() < maxTracked) {
      return;
    }
    Instant now = clock.instant();
    states
        .entrySet()
        .removeIf(
            e -> {
              synchronized (e.getValue()) {
                State s = e.getValue();
                return !s.lockedAt(now) && s.last.isBefore(now.minus(window));
              }
            });
    int target = maxTracked - maxTracked / 10;
    if (states.size() <= target) {
      return;
    }
    record Candidate(Subject subject, boolean locked, Instant order) {}
    List<Candidate> candidates = new ArrayList<>(states.size());
    states.forEach(
        (subject, s) -> {
          synchronized (s) {
            boolean locked = s.lockedAt(now);
            candidates.add(new Candidate(subject, locked, locked ? s.lockedUntil : s.last));
          }
        });
    candidates.sort(Comparator.comparing(Candidate::locked).thenComparing(Candidate::order));
    int excess = states.size() - target;
    for (int i = 0; i < excess && i < candidates.size(); i++) {
      states.remove(candidates.get(i).subject());
    }
    LOG.warn(
        "failed-authentication table full ({} subjects): forgot {} of them", maxTracked, excess);
  }

  /**
   * At most {@value #MAX_SUBJECT_LENGTH} characters, control characters replaced (they reach the
   * log).
   */
  private static String cut(String text) {
    if (text == null) {
      return null;
    }
    String c = text.length() <= MAX_SUBJECT_LENGTH ? text : text.substring(0, MAX_SUBJECT_LENGTH);
    return LogText.printable(c);
  }
}
