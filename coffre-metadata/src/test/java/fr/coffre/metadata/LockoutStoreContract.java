package fr.coffre.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.metadata.LockoutStore.Failures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link LockoutStore} must have; an implementation's test extends this. */
public abstract class LockoutStoreContract {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  protected MetadataStore store;

  /** A new, empty store; the contract closes it after each test. */
  protected abstract MetadataStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private LockoutStore l() {
    return store.lockouts();
  }

  /** One more failure at {@code now} from {@code from}; locked for a minute at the third. */
  private static UnaryOperator<Failures> fail(Instant now, String from) {
    return f -> {
      List<Instant> recent = new ArrayList<>(f.recent());
      recent.add(now);
      boolean lock = recent.size() >= 3;
      return new Failures(
          f.realm(),
          f.accessKey(),
          f.source(),
          lock ? List.of() : recent,
          f.total() + 1,
          now,
          from,
          lock ? now.plus(Duration.ofMinutes(1)) : f.lockedUntil(),
          f.lockouts() + (lock ? 1 : 0));
    };
  }

  private Failures fail(String realm, String key, String source, Instant now, int max) {
    return l().updateFailures(realm, key, source, now, max, now.minusSeconds(300), fail(now, "ip"));
  }

  @Test
  void update_startsFromAnEmptyRow_andKeepsWhatTheChangeWrote() {
    assertThat(l().failures("s3", "AKID", "ip")).isEmpty();
    Failures first =
        l().updateFailures(
                "s3",
                "AKID",
                "ip",
                T0,
                100,
                T0,
                f -> {
                  assertThat(f.total()).isZero();
                  assertThat(f.recent()).isEmpty();
                  assertThat(f.lockedUntil()).isNull();
                  return fail(T0, "203.0.113.7").apply(f);
                });
    assertThat(first.total()).isEqualTo(1);
    fail("s3", "AKID", "ip", T0.plusSeconds(1), 100);
    Failures stored = l().failures("s3", "AKID", "ip").orElseThrow();
    assertThat(stored.recent()).containsExactly(T0, T0.plusSeconds(1));
    assertThat(stored.total()).isEqualTo(2);
    assertThat(stored.last()).isEqualTo(T0.plusSeconds(1));
    assertThat(stored.lastSource()).isEqualTo("ip");
    assertThat(l().failures("admin", "AKID", "ip")).isEmpty(); // realms apart
    assertThat(l().failures("s3", "AKID", "")).isEmpty(); // addresses apart
  }

  @Test
  void locked_listsOnlyLiveLocks_clearForgetsEveryAddressOfAKey() {
    for (int i = 0; i < 3; i++) {
      fail("s3", "AKID", "a", T0, 100);
      fail("s3", "AKID", "b", T0, 100);
    }
    fail("s3", "AKID", "", T0, 100);
    fail("s3", "OTHER", "a", T0, 100);
    assertThat(l().lockedFailures("s3", T0)).hasSize(2);
    assertThat(l().lockedFailures("s3", T0.plus(Duration.ofMinutes(1)))).isEmpty();
    assertThat(l().lockedFailures("admin", T0)).isEmpty();
    assertThat(l().failuresOf("s3", "AKID")).hasSize(3);
    assertThat(l().allFailures("s3")).hasSize(4);
    assertThat(l().clearFailures("s3", "AKID")).isEqualTo(3);
    assertThat(l().allFailures("s3"))
        .singleElement()
        .extracting(Failures::accessKey)
        .isEqualTo("OTHER");
    assertThat(l().clearFailures("s3", "AKID")).isZero();
  }

  @Test
  void aFullRealm_forgetsQuietThenOldestUnlocked_andKeepsLocks() {
    for (int i = 0; i < 3; i++) {
      fail("s3", "LOCKED", "ip", T0, 10);
    }
    fail("s3", "QUIET", "ip", T0.minus(Duration.ofHours(1)), 10);
    for (int i = 0; i < 20; i++) {
      fail("s3", "K" + i, "ip", T0.plusSeconds(i), 10);
      assertThat(l().countFailures("s3")).isLessThanOrEqualTo(10);
    }
    assertThat(l().failures("s3", "QUIET", "ip")).isEmpty();
    assertThat(l().failures("s3", "LOCKED", "ip")).isPresent();
    assertThat(l().failures("s3", "K19", "ip"))
        .isPresent(); // the newest is never the one forgotten
    assertThat(l().failures("s3", "K0", "ip")).isEmpty();
  }

  @Test
  void forgetQuiet_keepsLocksAndRecentFailures_inEveryRealm() {
    for (int i = 0; i < 3; i++) {
      fail("s3", "LOCKED", "ip", T0, 100);
    }
    fail("s3", "OLD", "ip", T0, 100);
    fail("admin", "OLD", "ip", T0, 100);
    fail("s3", "RECENT", "ip", T0.plusSeconds(600), 100);
    assertThat(l().forgetQuietFailures(T0.plusSeconds(1), T0.plusSeconds(30))).isEqualTo(2);
    assertThat(l().failures("s3", "LOCKED", "ip")).isPresent();
    assertThat(l().failures("s3", "RECENT", "ip")).isPresent();
    assertThat(l().failures("s3", "OLD", "ip")).isEmpty();
    assertThat(l().failures("admin", "OLD", "ip")).isEmpty();
    // Once its lock has ended, a quiet subject goes too.
    assertThat(l().forgetQuietFailures(T0.plusSeconds(1), T0.plusSeconds(60))).isEqualTo(1);
    assertThat(l().failures("s3", "LOCKED", "ip")).isEmpty();
  }

  @Test
  void concurrentFailures_onOneSubject_allCount() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        done.add(
            pool.submit(
                () ->
                    l().updateFailures(
                            "s3",
                            "AKID",
                            "",
                            T0,
                            100,
                            T0,
                            f ->
                                new Failures(
                                    f.realm(),
                                    f.accessKey(),
                                    f.source(),
                                    List.of(),
                                    f.total() + 1,
                                    T0,
                                    null,
                                    null,
                                    0))));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(l().failures("s3", "AKID", "").orElseThrow().total()).isEqualTo(40);
  }
}
