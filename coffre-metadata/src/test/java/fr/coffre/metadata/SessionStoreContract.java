package fr.coffre.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.metadata.SessionStore.Bounds;
import fr.coffre.metadata.SessionStore.StoredSession;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link SessionStore} must have; an implementation's test extends this. */
public abstract class SessionStoreContract {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static final Bounds BOUNDS = new Bounds(6, 2, 4);
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

  private SessionStore s() {
    return store.sessions();
  }

  private static StoredSession session(String realm, String id, String subject, String group) {
    return new StoredSession(
        realm, "h-" + id, subject, group, "csrf-" + id, T0, T0, T0.plus(Duration.ofMinutes(30)));
  }

  @Test
  void openedSession_isFoundByItsHash_inItsRealmOnly_untilItExpires() {
    assertThat(s().openSession(session("console", "a", "AKID1", "mairie"), BOUNDS, T0)).isTrue();
    StoredSession found = s().session("console", "h-a", T0.plusSeconds(60)).orElseThrow();
    assertThat(found).isEqualTo(session("console", "a", "AKID1", "mairie"));
    assertThat(s().session("operator", "h-a", T0)).isEmpty();
    assertThat(s().session("console", "h-b", T0)).isEmpty();
    assertThat(s().session("console", "h-a", T0.plus(Duration.ofMinutes(30)))).isEmpty();
  }

  @Test
  void touch_movesLastSeenAndExpiry_closeEndsIt() {
    s().openSession(session("console", "a", "AKID1", "mairie"), BOUNDS, T0);
    Instant later = T0.plus(Duration.ofMinutes(20));
    assertThat(s().touchSession("console", "h-a", later, later.plus(Duration.ofMinutes(30))))
        .isTrue();
    StoredSession found = s().session("console", "h-a", T0.plus(Duration.ofMinutes(40))).get();
    assertThat(found.lastSeen()).isEqualTo(later);
    assertThat(found.expires()).isEqualTo(later.plus(Duration.ofMinutes(30)));
    assertThat(s().closeSession("console", "h-a")).isTrue();
    assertThat(s().closeSession("console", "h-a")).isFalse();
    assertThat(s().session("console", "h-a", later)).isEmpty();
    assertThat(s().touchSession("console", "h-a", later, later)).isFalse();
  }

  @Test
  void aSubjectBeyondItsBound_losesItsLeastRecentlySeenSession_othersKeepTheirs() {
    s().openSession(session("console", "other", "AKID2", "mairie"), BOUNDS, T0);
    s().openSession(session("console", "a", "AKID1", "mairie"), BOUNDS, T0);
    s().openSession(session("console", "b", "AKID1", "mairie"), BOUNDS, T0);
    // "a" was opened first but seen since: "b" is the least recently seen.
    s().touchSession("console", "h-a", T0.plusSeconds(90), T0.plus(Duration.ofMinutes(31)));
    s().openSession(session("console", "c", "AKID1", "mairie"), BOUNDS, T0.plusSeconds(100));
    assertThat(s().session("console", "h-b", T0.plusSeconds(100))).isEmpty();
    assertThat(s().session("console", "h-a", T0.plusSeconds(100))).isPresent();
    assertThat(s().session("console", "h-c", T0.plusSeconds(100))).isPresent();
    assertThat(s().session("console", "h-other", T0.plusSeconds(100))).isPresent();
  }

  @Test
  void sameInstant_theFirstOpenedEndsFirst() {
    s().openSession(session("console", "a", "AKID1", "mairie"), BOUNDS, T0);
    s().openSession(session("console", "b", "AKID1", "mairie"), BOUNDS, T0);
    s().openSession(session("console", "c", "AKID1", "mairie"), BOUNDS, T0);
    assertThat(s().session("console", "h-a", T0)).isEmpty();
    assertThat(s().session("console", "h-b", T0)).isPresent();
    assertThat(s().session("console", "h-c", T0)).isPresent();
  }

  @Test
  void aGroupBeyondItsBound_losesItsOwnOldest_andAFullRealmRefusesRatherThanEvicts() {
    StoredSession victim = session("console", "victim", "AKIDV", "mairie");
    s().openSession(victim, BOUNDS, T0);
    for (int i = 0; i < 5; i++) {
      assertThat(s().openSession(session("console", "g" + i, "AKID-" + i, "ville"), BOUNDS, T0))
          .isTrue();
    }
    assertThat(s().session("console", "h-g0", T0)).isEmpty(); // the group's oldest
    assertThat(s().countSessions("console")).isEqualTo(5);
    assertThat(s().openSession(session("console", "x", "AKIDX", "autre"), BOUNDS, T0)).isTrue();
    assertThat(s().openSession(session("console", "y", "AKIDY", "encore"), BOUNDS, T0)).isFalse();
    assertThat(s().session("console", "h-victim", T0)).isPresent();
    assertThat(s().session("console", "h-y", T0)).isEmpty();
    // Another realm has its own bounds.
    assertThat(s().openSession(session("operator", "y", "AKIDY", "encore"), BOUNDS, T0)).isTrue();
  }

  @Test
  void endAll_endsEveryRealmsSessions() {
    s().openSession(session("console", "a", "AKID1", "mairie"), BOUNDS, T0);
    s().openSession(session("operator", "b", "alice", "alice"), BOUNDS, T0);
    assertThat(s().endAllSessions()).isEqualTo(2);
    assertThat(s().session("console", "h-a", T0)).isEmpty();
    assertThat(s().session("operator", "h-b", T0)).isEmpty();
  }

  @Test
  void expiredSessions_areSweptAtTheNextOpening_andByTheSweep() {
    for (int i = 0; i < 3; i++) {
      s().openSession(session("console", "e" + i, "AKID-" + i, "g" + i), BOUNDS, T0);
    }
    s().openSession(session("operator", "o", "alice", "alice"), BOUNDS, T0);
    Instant later = T0.plus(Duration.ofMinutes(31));
    StoredSession fresh =
        new StoredSession(
            "console",
            "h-new",
            "AKIDN",
            "n",
            "c",
            later,
            later,
            later.plus(Duration.ofMinutes(30)));
    s().openSession(fresh, BOUNDS, later);
    assertThat(s().countSessions("console")).isEqualTo(1);
    assertThat(s().countSessions("operator")).isEqualTo(1);
    assertThat(s().sweepSessions(later)).isEqualTo(1);
    assertThat(s().countSessions("operator")).isZero();
  }
}
