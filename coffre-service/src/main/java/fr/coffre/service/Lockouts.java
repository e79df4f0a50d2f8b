package fr.coffre.service;

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
 * Failed authentications per access key: after {@code threshold} failures within {@code window},
 * the key is locked for {@code lockFor} (doubling at each new lock-out, up to a day) and every
 * request signed with it is refused, even a correct one, so guessing a secret is throttled. Each
 * lock-out is logged and listed for the operator, who may clear it.
 *
 * <p>Kept in memory: a restart forgets the counts, which only lets a guesser start again from zero
 * after an operator-visible restart. At most {@value #MAX_TRACKED} keys are tracked; beyond that the
 * quietest are forgotten first.
 */
public final class Lockouts {
  static final int MAX_TRACKED = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(Lockouts.class);

  /** What the operator sees of one access key's failures. */
  public record Entry(String accessKey, int recentFailures, long totalFailures, Instant lastFailure,
      String lastSource, Instant lockedUntil, int lockouts) {}

  private static final class State {
    final Deque<Instant> recent = new ArrayDeque<>();
    long total;
    Instant last;
    String lastSource;
    Instant lockedUntil;
    int lockouts;
  }

  private final Clock clock;
  private final int threshold;
  private final Duration window;
  private final Duration lockFor;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  public Lockouts(Clock clock, int threshold, Duration window, Duration lockFor) {
    if (threshold < 1) {
      throw new IllegalArgumentException("lock-out threshold must be at least 1, got " + threshold);
    }
    this.clock = clock;
    this.threshold = threshold;
    this.window = window;
    this.lockFor = lockFor;
  }

  /** When the key's lock-out ends, or null if it is not locked. */
  public Instant lockedUntil(String accessKey) {
    State s = states.get(accessKey);
    if (s == null) {
      return null;
    }
    synchronized (s) {
      return s.lockedUntil != null && s.lockedUntil.isAfter(clock.instant()) ? s.lockedUntil : null;
    }
  }

  /** Records a failed authentication of {@code accessKey} from {@code source}. */
  public void failed(String accessKey, String source) {
    if (accessKey == null) {
      return;
    }
    if (states.size() >= MAX_TRACKED && !states.containsKey(accessKey)) {
      forgetQuietest();
    }
    State s = states.computeIfAbsent(accessKey, k -> new State());
    Instant now = clock.instant();
    synchronized (s) {
      s.total++;
      s.last = now;
      s.lastSource = source;
      s.recent.addLast(now);
      while (!s.recent.isEmpty() && s.recent.peekFirst().isBefore(now.minus(window))) {
        s.recent.removeFirst();
      }
      boolean locked = s.lockedUntil != null && s.lockedUntil.isAfter(now);
      if (!locked && s.recent.size() >= threshold) {
        s.lockouts++;
        Duration d = lockFor.multipliedBy(1L << Math.min(s.lockouts - 1, 10));
        if (d.compareTo(Duration.ofDays(1)) > 0) {
          d = Duration.ofDays(1);
        }
        s.lockedUntil = now.plus(d);
        s.recent.clear();
        LOG.warn("access key {} locked until {} after {} failed authentications within {} (last from {})",
            accessKey, s.lockedUntil, threshold, window, source);
      }
    }
  }

  /** Lifts a key's lock-out and forgets its failures; false if nothing was recorded for it. */
  public boolean clear(String accessKey) {
    return states.remove(accessKey) != null;
  }

  /** Every key with recorded failures, locked ones first, then by latest failure. */
  public List<Entry> entries() {
    Instant now = clock.instant();
    List<Entry> all = new ArrayList<>();
    states.forEach((key, s) -> {
      synchronized (s) {
        Instant until = s.lockedUntil != null && s.lockedUntil.isAfter(now) ? s.lockedUntil : null;
        int recent = (int) s.recent.stream().filter(t -> !t.isBefore(now.minus(window))).count();
        all.add(new Entry(key, recent, s.total, s.last, s.lastSource, until, s.lockouts));
      }
    });
    all.sort(Comparator.comparing((Entry e) -> e.lockedUntil() == null)
        .thenComparing(Entry::lastFailure, Comparator.reverseOrder()));
    return all;
  }

  private void forgetQuietest() {
    Instant now = clock.instant();
    states.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        State s = e.getValue();
        return (s.lockedUntil == null || !s.lockedUntil.isAfter(now)) && s.last.isBefore(now.minus(window));
      }
    });
  }
}
