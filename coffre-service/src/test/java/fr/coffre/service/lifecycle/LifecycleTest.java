package fr.coffre.service.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.service.lifecycle.LifecycleRule.Expiration;
import fr.coffre.service.lifecycle.LifecycleRule.NoncurrentExpiration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure evaluator, rule kind by rule kind, at instants around each due time. */
class LifecycleTest {
  private static final Instant WRITTEN = Instant.parse("2014-01-15T10:30:00Z");
  private static final Instant MIDNIGHT_19 = Instant.parse("2014-01-19T00:00:00Z");

  private static LifecycleRule rule(String id, LifecycleFilter filter, Expiration e) {
    return new LifecycleRule(id, true, filter, e, null, null);
  }

  private static ObjectFacts object(String key, long size, Map<String, String> tags) {
    return ObjectFacts.unversioned(key, size, tags, WRITTEN);
  }

  private static ObjectFacts object(String key) {
    return object(key, 10, Map.of());
  }

  private static ObjectFacts noncurrent(
      String key, Instant since, int newer, boolean marker, boolean locked) {
    return new ObjectFacts(
        key, marker ? 0 : 10, Map.of(), WRITTEN, false, marker, since, newer, false, locked);
  }

  private static ObjectFacts marker(String key, Instant written, boolean alone) {
    return new ObjectFacts(key, 0, Map.of(), written, true, true, null, 0, alone, false);
  }

  private static LifecycleAction action(Lifecycle l, ObjectFacts o, Instant now) {
    return l.decide(o, now).action();
  }

  // ------------------------------------------------------------------ rounding

  @Test
  void dueAfter_addsTheDays_thenRoundsToTheNextMidnightUtc() {
    assertThat(Lifecycle.dueAfter(WRITTEN, 3)).isEqualTo(MIDNIGHT_19);
    assertThat(Lifecycle.dueAfter(Instant.parse("2014-01-15T23:59:59Z"), 1))
        .isEqualTo(Instant.parse("2014-01-17T00:00:00Z"));
    // A sum exactly on midnight still moves to the next midnight (S3: "the next day midnight").
    assertThat(Lifecycle.dueAfter(Instant.parse("2014-01-15T00:00:00Z"), 1))
        .isEqualTo(Instant.parse("2014-01-17T00:00:00Z"));
  }

  // ------------------------------------------------------------------ Expiration Days / Date

  @Test
  void expirationDays_dueAtTheRoundedMidnight_notBefore() {
    Lifecycle l = new Lifecycle(List.of(rule("r", LifecycleFilter.ALL, Expiration.afterDays(3))));
    assertThat(action(l, object("a"), MIDNIGHT_19.minusNanos(1))).isEqualTo(LifecycleAction.NONE);
    Lifecycle.Decision d = l.decide(object("a"), MIDNIGHT_19);
    assertThat(d)
        .isEqualTo(new Lifecycle.Decision(LifecycleAction.EXPIRE_CURRENT, "r", MIDNIGHT_19));
    assertThat(action(l, object("a"), MIDNIGHT_19.plus(Duration.ofDays(400))))
        .isEqualTo(LifecycleAction.EXPIRE_CURRENT);
  }

  @Test
  void expirationDate_dueFromThatMidnight_whateverTheObjectsAge() {
    Instant date = Instant.parse("2030-01-01T00:00:00Z");
    Lifecycle l = new Lifecycle(List.of(rule("d", LifecycleFilter.ALL, Expiration.on(date))));
    ObjectFacts young = ObjectFacts.unversioned("a", 1, Map.of(), date.minusSeconds(1));
    assertThat(action(l, young, date.minusNanos(1))).isEqualTo(LifecycleAction.NONE);
    assertThat(action(l, young, date)).isEqualTo(LifecycleAction.EXPIRE_CURRENT);
    // Written after the date: expires at the next pass too, as S3 does for a past date.
    ObjectFacts later = ObjectFacts.unversioned("a", 1, Map.of(), date.plusSeconds(5));
    assertThat(action(l, later, date.plusSeconds(10))).isEqualTo(LifecycleAction.EXPIRE_CURRENT);
  }

  @Test
  void expiration_neverTouchesNoncurrentVersions() {
    Lifecycle l = new Lifecycle(List.of(rule("r", LifecycleFilter.ALL, Expiration.afterDays(1))));
    assertThat(
            action(
                l,
                noncurrent("a", WRITTEN, 0, false, false),
                MIDNIGHT_19.plus(Duration.ofDays(99))))
        .isEqualTo(LifecycleAction.NONE);
  }

  @Test
  void lockedCurrentVersion_stillExpires_becauseThatOnlyPutsAMarkerOnTop() {
    Lifecycle l = new Lifecycle(List.of(rule("r", LifecycleFilter.ALL, Expiration.afterDays(1))));
    ObjectFacts locked =
        new ObjectFacts("a", 1, Map.of(), WRITTEN, true, false, null, 0, true, true);
    assertThat(action(l, locked, MIDNIGHT_19)).isEqualTo(LifecycleAction.EXPIRE_CURRENT);
  }

  // ------------------------------------------------------------------ filters

  @Test
  void prefixFilter_onlyKeysUnderIt() {
    Lifecycle l =
        new Lifecycle(List.of(rule("r", LifecycleFilter.prefix("logs/"), Expiration.afterDays(1))));
    assertThat(action(l, object("logs/1"), MIDNIGHT_19)).isEqualTo(LifecycleAction.EXPIRE_CURRENT);
    assertThat(action(l, object("data/logs/1"), MIDNIGHT_19)).isEqualTo(LifecycleAction.NONE);
    assertThat(action(l, object("logs"), MIDNIGHT_19)).isEqualTo(LifecycleAction.NONE);
  }

  @Test
  void tagFilter_everyTagWithItsValue() {
    LifecycleFilter f = new LifecycleFilter("", Map.of("class", "tmp", "team", "a"), null, null);
    Lifecycle l = new Lifecycle(List.of(rule("r", f, Expiration.afterDays(1))));
    assertThat(
            action(l, object("k", 1, Map.of("class", "tmp", "team", "a", "x", "y")), MIDNIGHT_19))
        .isEqualTo(LifecycleAction.EXPIRE_CURRENT);
    assertThat(action(l, object("k", 1, Map.of("class", "tmp")), MIDNIGHT_19))
        .isEqualTo(LifecycleAction.NONE);
    assertThat(action(l, object("k", 1, Map.of("class", "tmp", "team", "b")), MIDNIGHT_19))
        .isEqualTo(LifecycleAction.NONE);
  }

  @Test
  void unreadableTags_neverTouched_evenByARuleWithoutTags() {
    Lifecycle l = new Lifecycle(List.of(rule("r", LifecycleFilter.ALL, Expiration.afterDays(1))));
    ObjectFacts unknown = object("k", 1, null);
    assertThat(l.decide(unknown, MIDNIGHT_19)).isEqualTo(Lifecycle.Decision.NONE);
    // ... but the job is told it is worth reading them.
    assertThat(l.mayAct(unknown, MIDNIGHT_19)).isTrue();
  }

  @Test
  void mayAct_ignoresTagConditions_butNotTheRest() {
    LifecycleFilter f = new LifecycleFilter("p/", Map.of("t", "v"), null, null);
    Lifecycle l = new Lifecycle(List.of(rule("r", f, Expiration.afterDays(3))));
    assertThat(l.mayAct(object("p/k", 1, null), MIDNIGHT_19)).isTrue();
    assertThat(l.mayAct(object("q/k", 1, null), MIDNIGHT_19)).isFalse();
    assertThat(l.mayAct(object("p/k", 1, null), MIDNIGHT_19.minusSeconds(1))).isFalse();
  }

  @Test
  void sizeFilters_areStrictBounds() {
    Lifecycle l =
        new Lifecycle(
            List.of(
                rule("r", new LifecycleFilter("", Map.of(), 100L, 200L), Expiration.afterDays(1))));
    assertThat(action(l, object("k", 100, Map.of()), MIDNIGHT_19)).isEqualTo(LifecycleAction.NONE);
    assertThat(action(l, object("k", 101, Map.of()), MIDNIGHT_19))
        .isEqualTo(LifecycleAction.EXPIRE_CURRENT);
    assertThat(action(l, object("k", 199, Map.of()), MIDNIGHT_19))
        .isEqualTo(LifecycleAction.EXPIRE_CURRENT);
    assertThat(action(l, object("k", 200, Map.of()), MIDNIGHT_19)).isEqualTo(LifecycleAction.NONE);
    Lifecycle greater =
        new Lifecycle(
            List.of(
                rule("g", new LifecycleFilter("", Map.of(), 0L, null), Expiration.afterDays(1))));
    assertThat(action(greater, object("k", 0, Map.of()), MIDNIGHT_19))
        .isEqualTo(LifecycleAction.NONE);
    assertThat(action(greater, object("k", 1, Map.of()), MIDNIGHT_19))
        .isEqualTo(LifecycleAction.EXPIRE_CURRENT);
  }

  @Test
  void andFilter_prefixTagsAndSize_allMustHold() {
    LifecycleFilter f = new LifecycleFilter("p/", Map.of("t", "v"), null, 50L);
    Lifecycle l = new Lifecycle(List.of(rule("r", f, Expiration.afterDays(1))));
    assertThat(action(l, object("p/k", 10, Map.of("t", "v")), MIDNIGHT_19))
        .isEqualTo(LifecycleAction.EXPIRE_CURRENT);
    assertThat(action(l, object("q/k", 10, Map.of("t", "v")), MIDNIGHT_19))
        .isEqualTo(LifecycleAction.NONE);
    assertThat(action(l, object("p/k", 60, Map.of("t", "v")), MIDNIGHT_19))
        .isEqualTo(LifecycleAction.NONE);
    assertThat(action(l, object("p/k", 10, Map.of()), MIDNIGHT_19)).isEqualTo(LifecycleAction.NONE);
  }

  // ------------------------------------------------------------------ several rules

  @Test
  void disabledRules_areIgnored() {
    Lifecycle l =
        new Lifecycle(
            List.of(
                new LifecycleRule(
                    "off", false, LifecycleFilter.ALL, Expiration.afterDays(1), null, 1)));
    assertThat(action(l, object("a"), MIDNIGHT_19.plus(Duration.ofDays(9))))
        .isEqualTo(LifecycleAction.NONE);
    assertThat(l.decideUpload("a", WRITTEN, MIDNIGHT_19.plus(Duration.ofDays(9))).isNone())
        .isTrue();
    assertThat(l.actsOnVersions()).isFalse();
    assertThat(l.abortsUploads()).isFalse();
  }

  @Test
  void overlappingRules_theEarliestDueWins() {
    Lifecycle l =
        new Lifecycle(
            List.of(
                rule("slow", LifecycleFilter.ALL, Expiration.afterDays(30)),
                rule("fast", LifecycleFilter.prefix("tmp/"), Expiration.afterDays(3)),
                rule("same", LifecycleFilter.prefix("tmp/"), Expiration.afterDays(3))));
    Instant late = MIDNIGHT_19.plus(Duration.ofDays(100));
    assertThat(l.decide(object("tmp/x"), late))
        .isEqualTo(new Lifecycle.Decision(LifecycleAction.EXPIRE_CURRENT, "fast", MIDNIGHT_19));
    assertThat(l.decide(object("other"), late).ruleId()).isEqualTo("slow");
  }

  // ------------------------------------------------------------------ delete markers

  @Test
  void expiredObjectDeleteMarker_removesALoneMarkerAtOnce_notOneWithVersionsBehind() {
    Lifecycle l =
        new Lifecycle(List.of(rule("m", LifecycleFilter.ALL, Expiration.deleteMarkers())));
    assertThat(action(l, marker("a", WRITTEN, true), WRITTEN))
        .isEqualTo(LifecycleAction.REMOVE_DELETE_MARKER);
    assertThat(action(l, marker("a", WRITTEN, false), WRITTEN.plus(Duration.ofDays(999))))
        .isEqualTo(LifecycleAction.NONE);
    // It does nothing to objects.
    assertThat(action(l, object("a"), WRITTEN.plus(Duration.ofDays(999))))
        .isEqualTo(LifecycleAction.NONE);
  }

  @Test
  void expirationDays_alsoRemovesLoneMarkers_onceOldEnough() {
    Lifecycle l = new Lifecycle(List.of(rule("r", LifecycleFilter.ALL, Expiration.afterDays(3))));
    assertThat(action(l, marker("a", WRITTEN, true), MIDNIGHT_19.minusSeconds(1)))
        .isEqualTo(LifecycleAction.NONE);
    assertThat(action(l, marker("a", WRITTEN, true), MIDNIGHT_19))
        .isEqualTo(LifecycleAction.REMOVE_DELETE_MARKER);
    assertThat(action(l, marker("a", WRITTEN, false), MIDNIGHT_19)).isEqualTo(LifecycleAction.NONE);
  }

  @Test
  void markers_haveNoTagsNorSize_soTagOrSizeRulesNeverMatchThem() {
    Lifecycle tags =
        new Lifecycle(
            List.of(
                rule(
                    "t",
                    new LifecycleFilter("", Map.of("t", "v"), null, null),
                    Expiration.afterDays(1))));
    Lifecycle size =
        new Lifecycle(
            List.of(
                rule("s", new LifecycleFilter("", Map.of(), null, 10L), Expiration.afterDays(1))));
    Instant late = MIDNIGHT_19.plus(Duration.ofDays(10));
    assertThat(action(tags, marker("a", WRITTEN, true), late)).isEqualTo(LifecycleAction.NONE);
    assertThat(action(size, marker("a", WRITTEN, true), late)).isEqualTo(LifecycleAction.NONE);
  }

  // ------------------------------------------------------------------ noncurrent versions

  @Test
  void noncurrentDays_countFromWhenTheVersionBecameNoncurrent() {
    Lifecycle l =
        new Lifecycle(
            List.of(
                new LifecycleRule(
                    "n",
                    true,
                    LifecycleFilter.ALL,
                    null,
                    new NoncurrentExpiration(3, null),
                    null)));
    ObjectFacts v = noncurrent("a", WRITTEN, 0, false, false);
    assertThat(action(l, v, MIDNIGHT_19.minusNanos(1))).isEqualTo(LifecycleAction.NONE);
    assertThat(l.decide(v, MIDNIGHT_19))
        .isEqualTo(new Lifecycle.Decision(LifecycleAction.REMOVE_NONCURRENT, "n", MIDNIGHT_19));
    // A noncurrent delete marker goes the same way.
    assertThat(action(l, noncurrent("a", WRITTEN, 0, true, false), MIDNIGHT_19))
        .isEqualTo(LifecycleAction.REMOVE_NONCURRENT);
    // It does nothing to current versions.
    assertThat(action(l, object("a"), MIDNIGHT_19.plus(Duration.ofDays(99))))
        .isEqualTo(LifecycleAction.NONE);
  }

  @Test
  void newerNoncurrentVersions_keepsThatManyNewest() {
    Lifecycle l =
        new Lifecycle(
            List.of(
                new LifecycleRule(
                    "n", true, LifecycleFilter.ALL, null, new NoncurrentExpiration(1, 5), null)));
    Instant late = MIDNIGHT_19.plus(Duration.ofDays(10));
    for (int newer = 0; newer < 5; newer++) {
      assertThat(action(l, noncurrent("a", WRITTEN, newer, false, false), late))
          .as("with %d newer noncurrent versions", newer)
          .isEqualTo(LifecycleAction.NONE);
    }
    assertThat(action(l, noncurrent("a", WRITTEN, 5, false, false), late))
        .isEqualTo(LifecycleAction.REMOVE_NONCURRENT);
    // ... and only once the days have passed.
    assertThat(action(l, noncurrent("a", late, 8, false, false), late))
        .isEqualTo(LifecycleAction.NONE);
  }

  @Test
  void lockedNoncurrentVersion_isNeverRemoved() {
    Lifecycle l =
        new Lifecycle(
            List.of(
                new LifecycleRule(
                    "n",
                    true,
                    LifecycleFilter.ALL,
                    null,
                    new NoncurrentExpiration(1, null),
                    null)));
    assertThat(
            action(
                l,
                noncurrent("a", WRITTEN, 0, false, true),
                MIDNIGHT_19.plus(Duration.ofDays(999))))
        .isEqualTo(LifecycleAction.NONE);
  }

  // ------------------------------------------------------------------ uploads

  @Test
  void abortIncompleteUploads_byPrefixAndDaysAfterInitiation() {
    Lifecycle l =
        new Lifecycle(
            List.of(new LifecycleRule("u", true, LifecycleFilter.prefix("in/"), null, null, 3)));
    assertThat(l.abortsUploads()).isTrue();
    assertThat(l.actsOnVersions()).isFalse();
    assertThat(l.decideUpload("in/x", WRITTEN, MIDNIGHT_19.minusNanos(1)).isNone()).isTrue();
    assertThat(l.decideUpload("in/x", WRITTEN, MIDNIGHT_19))
        .isEqualTo(new Lifecycle.Decision(LifecycleAction.ABORT_UPLOAD, "u", MIDNIGHT_19));
    assertThat(l.decideUpload("out/x", WRITTEN, MIDNIGHT_19).isNone()).isTrue();
  }

  @Test
  void uploads_neverMatchRulesWithTagOrSizeConditions() {
    Lifecycle l =
        new Lifecycle(
            List.of(
                new LifecycleRule(
                    "s", true, new LifecycleFilter("", Map.of(), 1L, null), null, null, 1)));
    assertThat(l.decideUpload("k", WRITTEN, MIDNIGHT_19.plus(Duration.ofDays(9))).isNone())
        .isTrue();
  }

  // ------------------------------------------------------------------ the model refuses nonsense

  @Test
  void model_refusesWhatNoValidDocumentMeans() {
    assertThatThrownBy(() -> new LifecycleRule("r", true, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Expiration.afterDays(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Expiration.on(Instant.parse("2030-01-01T01:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Expiration(1, null, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NoncurrentExpiration(0, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LifecycleFilter("", Map.of(), -1L, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
