package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.metadata.MetadataStore;
import fr.coffre.metadata.SqliteMetadataStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockoutsTest {
  @TempDir Path dir;
  private final HandClock clock = new HandClock(Instant.parse("2026-12-05T10:00:00Z"));
  private MetadataStore metadata;
  private Lockouts lockouts;

  @BeforeEach
  void open() {
    metadata = SqliteMetadataStore.open(dir.resolve("metadata.db"));
    lockouts = node(100);
  }

  @AfterEach
  void close() throws Exception {
    metadata.close();
  }

  /** A Lockouts over the shared database, as one node of a cluster has. */
  private Lockouts node(int maxTracked) {
    return new Lockouts(
        metadata.lockouts(),
        "access-keys",
        clock,
        10,
        Duration.ofMinutes(5),
        Duration.ofMinutes(5),
        maxTracked,
        Duration.ofSeconds(1));
  }

  @Test
  void badSignatures_lockTheKeyForTheirAddressOnly_notForItsOwner() {
    for (int i = 0; i < 10; i++) {
      lockouts.failedSignature("AKIDVICTIM", "203.0.113.7");
    }
    assertThat(lockouts.lockedUntil("AKIDVICTIM", "203.0.113.7"))
        .isEqualTo(clock.now.plus(Duration.ofMinutes(5)));
    assertThat(lockouts.lockedUntil("AKIDVICTIM", "198.51.100.1")).isNull(); // the owner, elsewhere
    assertThat(lockouts.lockedUntil("AKIDVICTIM")).isNull(); // interactive sign-ins unaffected
    assertThat(lockouts.lockedAnywhere("AKIDVICTIM")).isNotNull(); // the operator sees it
    assertThat(lockouts.entries())
        .singleElement()
        .satisfies(e -> assertThat(e.source()).isEqualTo("203.0.113.7"));
  }

  @Test
  void failedSignIns_lockInteractiveSignInsFromAnywhere() {
    for (int i = 0; i < 10; i++) {
      lockouts.failed("AKIDUSER", "203.0.113." + i);
    }
    assertThat(lockouts.lockedUntil("AKIDUSER")).isNotNull();
    assertThat(lockouts.lockedUntil("AKIDUSER", "203.0.113.1")).isNull();
    assertThat(lockouts.entries()).singleElement().satisfies(e -> assertThat(e.source()).isNull());
    assertThat(lockouts.clear("AKIDUSER")).isTrue();
    assertThat(lockouts.lockedUntil("AKIDUSER")).isNull();
    assertThat(lockouts.clear("AKIDUSER")).isFalse();
  }

  @Test
  void failuresSpreadOverTwoNodes_addUp_andTheLockHoldsOnBoth() {
    Lockouts node1 = lockouts;
    Lockouts node2 = node(100);
    for (int i = 0; i < 5; i++) {
      node1.failed("AKIDUSER", "203.0.113.1");
      node2.failed("AKIDUSER", "203.0.113.2");
    }
    assertThat(node1.lockedUntil("AKIDUSER")).isNotNull();
    assertThat(node2.lockedUntil("AKIDUSER")).isNotNull();

    // Bad signatures likewise; node 2's view of locked subjects sees node 1's lock once it is
    // reloaded (a second at most).
    assertThat(node2.lockedUntil("AKIDS3", "198.51.100.9")).isNull();
    for (int i = 0; i < 5; i++) {
      node1.failedSignature("AKIDS3", "198.51.100.9");
      node2.failedSignature("AKIDS3", "198.51.100.9");
    }
    assertThat(node2.lockedUntil("AKIDS3", "198.51.100.9")).isNotNull(); // the node that locked
    assertThat(node1.lockedUntil("AKIDS3", "198.51.100.9")).isNull(); // its view is not stale yet
    clock.now = clock.now.plusSeconds(1);
    assertThat(node1.lockedUntil("AKIDS3", "198.51.100.9")).isNotNull();
    assertThat(node1.entries()).hasSize(2);

    // The operator clears it on node 2: gone there at once, from node 1 at its next reload.
    assertThat(node2.clear("AKIDS3")).isTrue();
    assertThat(node2.lockedUntil("AKIDS3", "198.51.100.9")).isNull();
    assertThat(node1.lockedUntil("AKIDS3", "198.51.100.9")).isNotNull();
    clock.now = clock.now.plusSeconds(1);
    assertThat(node1.lockedUntil("AKIDS3", "198.51.100.9")).isNull();
  }

  @Test
  void aValidRequest_writesNothing_andSeesOtherNodesLocksAtTheViewsNextReload() {
    for (int i = 0; i < 10; i++) {
      lockouts.failedSignature("AKIDBAD", "203.0.113.7");
    }
    // Another node's lock, written straight into the shared table.
    Lockouts other = node(100);
    for (int i = 0; i < 10; i++) {
      other.failedSignature("AKIDELSE", "203.0.113.8");
    }
    for (int i = 0; i < 1_000; i++) {
      assertThat(lockouts.lockedUntil("AKIDGOOD", "198.51.100.1")).isNull();
    }
    // Within the period, the view is the one loaded before the other node's lock.
    assertThat(lockouts.lockedUntil("AKIDELSE", "203.0.113.8")).isNull();
    clock.now = clock.now.plusSeconds(1);
    assertThat(lockouts.lockedUntil("AKIDELSE", "203.0.113.8")).isNotNull();
    assertThat(metadata.lockouts().countFailures("access-keys")).isEqualTo(2);
  }

  @Test
  void lockOutDoubles_andEndsByItself() {
    for (int i = 0; i < 10; i++) {
      lockouts.failedSignature("AKID", "a");
    }
    clock.now = clock.now.plus(Duration.ofMinutes(6));
    assertThat(lockouts.lockedUntil("AKID", "a")).isNull();
    for (int i = 0; i < 10; i++) {
      lockouts.failedSignature("AKID", "a");
    }
    assertThat(lockouts.lockedUntil("AKID", "a")).isEqualTo(clock.now.plus(Duration.ofMinutes(10)));
  }

  @Test
  void aFloodOfClaimedKeys_staysBounded_andKeepsTheLocksItHolds() {
    Lockouts small = node(20);
    for (int i = 0; i < 10; i++) {
      small.failedSignature("AKIDGUESSED", "203.0.113.7");
    }
    String huge = "K".repeat(5_000);
    for (int i = 0; i < 200; i++) {
      small.failedSignature(i + huge, "198.51.100." + (i % 250));
      assertThat(small.tracked()).isLessThanOrEqualTo(20);
    }
    assertThat(small.entries())
        .allSatisfy(e -> assertThat(e.accessKey()).hasSizeLessThanOrEqualTo(128));
    // Unlocked subjects were forgotten first: the lock-out survived the flood.
    assertThat(small.lockedUntil("AKIDGUESSED", "203.0.113.7")).isNotNull();
  }

  @Test
  void aLockedSubject_keepsAtMostThresholdTimestamps_andItsFloodCostsNoWrite() {
    for (int i = 0; i < 10_000; i++) {
      lockouts.failedSignature("AKID", "a");
    }
    assertThat(lockouts.entries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.recentFailures()).isLessThanOrEqualTo(10);
              assertThat(e.lockedUntil()).isNotNull();
              // The ten that locked it; those after, while locked, were not written.
              assertThat(e.totalFailures()).isEqualTo(10);
            });
  }

  @Test
  void controlCharacters_neverReachTheLog() {
    lockouts.failedSignature("AKID\nforged line", "a");
    assertThat(lockouts.entries())
        .singleElement()
        .satisfies(e -> assertThat(e.accessKey()).isEqualTo("AKID?forged line"));
  }
}
