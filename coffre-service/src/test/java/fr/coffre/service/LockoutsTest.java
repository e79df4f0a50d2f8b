package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LockoutsTest {
  private final HandClock clock = new HandClock(Instant.parse("2026-12-05T10:00:00Z"));
  private final Lockouts lockouts =
      new Lockouts(clock, 10, Duration.ofMinutes(5), Duration.ofMinutes(5), 1_000);

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
    assertThat(lockouts.clear("AKIDUSER")).isTrue();
    assertThat(lockouts.lockedUntil("AKIDUSER")).isNull();
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
    for (int i = 0; i < 10; i++) {
      lockouts.failedSignature("AKIDGUESSED", "203.0.113.7");
    }
    String huge = "K".repeat(5_000);
    for (int i = 0; i < 20_000; i++) {
      lockouts.failedSignature(i + huge, "198.51.100." + (i % 250));
      assertThat(lockouts.tracked()).isLessThanOrEqualTo(1_000);
    }
    assertThat(lockouts.entries())
        .allSatisfy(e -> assertThat(e.accessKey()).hasSizeLessThanOrEqualTo(128));
    // Unlocked subjects were forgotten first: the lock-out survived the flood.
    assertThat(lockouts.lockedUntil("AKIDGUESSED", "203.0.113.7")).isNotNull();
  }

  @Test
  void aLockedSubject_keepsAtMostThresholdTimestamps() {
    for (int i = 0; i < 100_000; i++) {
      lockouts.failedSignature("AKID", "a");
    }
    assertThat(lockouts.entries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.recentFailures()).isLessThanOrEqualTo(10);
              assertThat(e.totalFailures()).isEqualTo(100_000);
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
