package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.metadata.MetadataStore;
import fr.coffre.metadata.SqliteMetadataStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsTest {
  @TempDir Path dir;
  private MetadataStore metadata;
  private final HandClock clock = new HandClock(Instant.parse("2026-11-23T10:00:00Z"));

  @BeforeEach
  void open() {
    metadata = SqliteMetadataStore.open(dir.resolve("metadata.db"));
  }

  @AfterEach
  void close() throws Exception {
    metadata.close();
  }

  private Sessions sessions(Duration idle, Duration absolute) {
    return new Sessions(metadata.sessions(), "console", clock, idle, absolute);
  }

  @Test
  void sessionsEndWhenIdleAndAtTheirAbsoluteLimit() {
    Sessions sessions = sessions(Duration.ofMinutes(30), Duration.ofHours(2));
    Sessions.Session s = sessions.open("AKIA1");
    assertThat(s.id()).hasSize(43).isNotEqualTo(s.csrf());
    assertThat(sessions.open("AKIA1").id()).isNotEqualTo(s.id());
    // Activity keeps it alive, up to the absolute limit.
    for (int i = 0; i < 4; i++) {
      clock.now = clock.now.plus(Duration.ofMinutes(25));
      assertThat(sessions.find(s.id())).isPresent();
    }
    assertThat(sessions.expiresAt(sessions.find(s.id()).orElseThrow()))
        .isEqualTo(Instant.parse("2026-11-23T12:00:00Z"));
    clock.now = Instant.parse("2026-11-23T12:00:00Z");
    assertThat(sessions.find(s.id())).isEmpty();

    Sessions.Session idle = sessions.open("AKIA2");
    clock.now = clock.now.plus(Duration.ofMinutes(30));
    assertThat(sessions.find(idle.id())).isEmpty();
    assertThat(sessions.find(null)).isEmpty();
    assertThat(sessions.find("forged")).isEmpty();
  }

  @Test
  void onlyAHashOfTheId_isStored_andTheCsrfTokenComesBack() {
    Sessions sessions = sessions(Duration.ofMinutes(30), Duration.ofHours(12));
    Sessions.Session s = sessions.open("AKIA1", "mairie");
    assertThat(metadata.sessions().session("console", s.id(), clock.now)).isEmpty();
    var row = metadata.sessions().session("console", Sessions.hash(s.id()), clock.now).get();
    assertThat(row.idHash()).hasSize(64).doesNotContain(s.id());
    assertThat(row.group()).isEqualTo("mairie");
    assertThat(sessions.find(s.id()).orElseThrow().csrf()).isEqualTo(s.csrf());
    // Another realm (another population) does not see it.
    assertThat(
            new Sessions(
                    metadata.sessions(),
                    "operators",
                    clock,
                    Duration.ofMinutes(30),
                    Duration.ofHours(12))
                .find(s.id()))
        .isEmpty();
  }

  @Test
  void lastSeen_isWrittenOnlyWhenItMovedByMoreThanAMinute() {
    Sessions sessions = sessions(Duration.ofMinutes(30), Duration.ofHours(12));
    Sessions.Session s = sessions.open("AKIA1");
    Instant opened = clock.now;
    clock.now = opened.plusSeconds(59);
    assertThat(sessions.find(s.id())).isPresent();
    assertThat(
            metadata
                .sessions()
                .session("console", Sessions.hash(s.id()), clock.now)
                .get()
                .lastSeen())
        .isEqualTo(opened);
    clock.now = opened.plusSeconds(61);
    Sessions.Session found = sessions.find(s.id()).orElseThrow();
    assertThat(sessions.expiresAt(found)).isEqualTo(clock.now.plus(Duration.ofMinutes(30)));
    assertThat(
            metadata
                .sessions()
                .session("console", Sessions.hash(s.id()), clock.now)
                .get()
                .lastSeen())
        .isEqualTo(clock.now);
  }

  @Test
  void aSessionOpenedByOneServer_isFoundAndClosedByAnother() {
    // Two Sessions over one database: two nodes of a cluster.
    Sessions node1 = sessions(Duration.ofMinutes(30), Duration.ofHours(12));
    Sessions node2 = sessions(Duration.ofMinutes(30), Duration.ofHours(12));
    Sessions.Session s = node1.open("AKIA1", "mairie");
    assertThat(node2.find(s.id())).get().extracting(Sessions.Session::subject).isEqualTo("AKIA1");
    node2.close(s.id());
    assertThat(node1.find(s.id())).isEmpty();
  }

  @Test
  void closingEndsOneSessionOnly() {
    Sessions sessions = sessions(Duration.ofMinutes(30), Duration.ofHours(12));
    Sessions.Session a = sessions.open("AKIA1");
    Sessions.Session b = sessions.open("AKIA1");
    Sessions.Session c = sessions.open("AKIA2");
    sessions.close(a.id());
    assertThat(sessions.find(a.id())).isEmpty();
    assertThat(sessions.find(b.id())).isPresent();
    assertThat(sessions.find(c.id())).isPresent();
  }

  @Test
  void aFloodOfSignIns_endsOnlyTheFloodersOwnSessions() {
    // Small bounds, the same rules as the server's 10,000 / 1,000 / 20.
    Sessions sessions =
        new Sessions(
            metadata.sessions(),
            "console",
            clock,
            Duration.ofMinutes(30),
            Duration.ofHours(12),
            100,
            3,
            10);
    Sessions.Session victim = sessions.open("AKIDVICTIM", "mairie");
    for (int i = 0; i < 153; i++) {
      sessions.open("AKIDFLOOD", "autre-tenant");
    }
    assertThat(sessions.find(victim.id())).isPresent();
    assertThat(metadata.sessions().countSessions("console")).isEqualTo(4);
    // The flooder keeps only its newest sessions.
    Sessions.Session last = sessions.open("AKIDFLOOD", "autre-tenant");
    assertThat(sessions.find(last.id())).isPresent();
  }

  @Test
  void manySubjectsOfOneTenant_endThatTenantsOldest_andTheServerBoundRefusesRatherThanEvicts() {
    Sessions sessions =
        new Sessions(
            metadata.sessions(),
            "console",
            clock,
            Duration.ofMinutes(30),
            Duration.ofHours(12),
            100,
            3,
            10);
    Sessions.Session other = sessions.open("AKIDOTHER", "mairie");
    Sessions.Session first = sessions.open("AKID-0", "grande-ville");
    for (int i = 1; i <= 10; i++) {
      sessions.open("AKID-" + i, "grande-ville");
    }
    assertThat(sessions.find(first.id())).isEmpty(); // its tenant's oldest
    assertThat(sessions.find(other.id())).isPresent();
    for (int t = 0; t < 10; t++) {
      for (int i = 0; i < 10; i++) {
        try {
          sessions.open("AKID-" + t + "-" + i, "tenant-" + t);
        } catch (Sessions.SessionLimitException e) {
          // the bound: refused, nobody signed out
        }
      }
    }
    assertThatThrownBy(() -> sessions.open("AKIDNEW", "nouveau"))
        .isInstanceOf(Sessions.SessionLimitException.class);
    assertThat(sessions.find(other.id())).isPresent();
  }
}
