package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionsTest {
  @Test
  void sessionsEndWhenIdleAndAtTheirAbsoluteLimit() {
    HandClock clock = new HandClock(Instant.parse("2026-11-23T10:00:00Z"));
    Sessions sessions = new Sessions(clock, Duration.ofMinutes(30), Duration.ofHours(2));
    Sessions.Session s = sessions.open("AKIA1");
    assertThat(s.id()).hasSize(43).isNotEqualTo(s.csrf());
    assertThat(sessions.open("AKIA1").id()).isNotEqualTo(s.id());
    // Activity keeps it alive, up to the absolute limit.
    for (int i = 0; i < 4; i++) {
      clock.now = clock.now.plus(Duration.ofMinutes(25));
      assertThat(sessions.find(s.id())).isPresent();
    }
    assertThat(sessions.expiresAt(s)).isEqualTo(Instant.parse("2026-11-23T12:00:00Z"));
    clock.now = Instant.parse("2026-11-23T12:00:00Z");
    assertThat(sessions.find(s.id())).isEmpty();

    Sessions.Session idle = sessions.open("AKIA2");
    clock.now = clock.now.plus(Duration.ofMinutes(30));
    assertThat(sessions.find(idle.id())).isEmpty();
    assertThat(sessions.find(null)).isEmpty();
    assertThat(sessions.find("forged")).isEmpty();
  }

  @Test
  void closingEndsOneSessionOnly() {
    Sessions sessions =
        new Sessions(
            new HandClock(Instant.parse("2026-11-23T10:00:00Z")),
            Duration.ofMinutes(30),
            Duration.ofHours(12));
    Sessions.Session a = sessions.open("AKIA1");
    Sessions.Session b = sessions.open("AKIA1");
    Sessions.Session c = sessions.open("AKIA2");
    sessions.close(a.id());
    assertThat(sessions.find(a.id())).isEmpty();
    assertThat(sessions.find(b.id())).isPresent();
    assertThat(sessions.find(c.id())).isPresent();
  }

  @org.junit.jupiter.api.Test
  void aFloodOfSignIns_endsOnlyTheFloodersOwnSessions() {
    Sessions sessions =
        new Sessions(
            new HandClock(java.time.Instant.parse("2026-12-05T10:00:00Z")),
            java.time.Duration.ofMinutes(30),
            java.time.Duration.ofHours(12));
    Sessions.Session victim = sessions.open("AKIDVICTIM", "mairie");
    for (int i = 0; i < 10_053; i++) {
      sessions.open("AKIDFLOOD", "autre-tenant");
    }
    org.assertj.core.api.Assertions.assertThat(sessions.find(victim.id())).isPresent();
    // The flooder keeps only its newest MAX_PER_SUBJECT sessions.
    Sessions.Session last = sessions.open("AKIDFLOOD", "autre-tenant");
    org.assertj.core.api.Assertions.assertThat(sessions.find(last.id())).isPresent();
  }

  @org.junit.jupiter.api.Test
  void manySubjectsOfOneTenant_endThatTenantsOldest_andTheServerBoundRefusesRatherThanEvicts() {
    // Small bounds, the same rules as the server's 10,000 / 1,000 / 20.
    Sessions sessions =
        new Sessions(
            new HandClock(java.time.Instant.parse("2026-12-05T10:00:00Z")),
            java.time.Duration.ofMinutes(30),
            java.time.Duration.ofHours(12),
            100,
            3,
            10);
    Sessions.Session other = sessions.open("AKIDOTHER", "mairie");
    Sessions.Session first = sessions.open("AKID-0", "grande-ville");
    for (int i = 1; i <= 10; i++) {
      sessions.open("AKID-" + i, "grande-ville");
    }
    org.assertj.core.api.Assertions.assertThat(sessions.find(first.id()))
        .isEmpty(); // its tenant's oldest
    org.assertj.core.api.Assertions.assertThat(sessions.find(other.id())).isPresent();
    for (int t = 0; t < 10; t++) {
      for (int i = 0; i < 10; i++) {
        try {
          sessions.open("AKID-" + t + "-" + i, "tenant-" + t);
        } catch (Sessions.SessionLimitException e) {
          // the bound: refused, nobody signed out
        }
      }
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sessions.open("AKIDNEW", "nouveau"))
        .isInstanceOf(Sessions.SessionLimitException.class);
    org.assertj.core.api.Assertions.assertThat(sessions.find(other.id())).isPresent();
  }
}
