package fr.coffre.policy.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {
  private static final long GIB = 1L << 30;

  private static Location site(String name, String country, String... volumes) {
    return new Location(
        name, country, Jurisdiction.EU, Sites.OWN, Set.of("secnumcloud", "hds"), List.of(volumes));
  }

  @Test
  void choose_health_spreadsOverTwoAllowedSites() {
    List<String> copies =
        Placement.choose(
            Sites.cls("health"),
            Sites.TOPOLOGY,
            Sites.free(Sites.TOPOLOGY, 100 * GIB),
            GIB,
            "blob-1");
    assertThat(copies).hasSize(2).doesNotHaveDuplicates();
    assertThat(copies).allMatch(v -> Set.of("p1", "p2", "l1", "l2", "o1").contains(v));
    assertThat(copies.stream().map(v -> Sites.TOPOLOGY.locationOf(v).orElseThrow().site()))
        .doesNotHaveDuplicates();
  }

  @Test
  void choose_prefersMoreFreeSpace_withinTheSiteSpread() {
    Map<String, Long> free = Sites.free(Sites.TOPOLOGY, 100 * GIB);
    free.put("p2", 900 * GIB);
    free.put("p1", 800 * GIB);
    free.put("o1", 500 * GIB);
    List<String> copies =
        Placement.choose(Sites.cls("health"), Sites.TOPOLOGY, free, GIB, "blob-1");
    assertThat(copies).containsExactly("p2", "o1");
  }

  @Test
  void choose_personal_fillsOneSiteWhenItIsTheOnlyOne() {
    Topology t = new Topology(Sites.OWN, List.of(Sites.PARIS, Sites.VIRGINIA));
    assertThat(Placement.choose(Sites.cls("personal"), t, Sites.free(t, GIB), 10, "b"))
        .containsExactlyInAnyOrder("p1", "p2");
  }

  @Test
  void choose_personal_stillSpreadsWhenSitesAllowIt() {
    Topology t = new Topology(Sites.OWN, List.of(Sites.PARIS, Sites.FRANKFURT));
    Map<String, Long> free = Sites.free(t, 100 * GIB);
    free.put("f1", GIB);
    assertThat(Placement.choose(Sites.cls("personal"), t, free, 10, "b")).hasSize(2).contains("f1");
  }

  @Test
  void choose_restricted_usesOwnFrenchQualifiedSites() {
    Location paris2 = site("paris-2", "FR", "q1");
    Location brussels = site("brussels", "BE", "b1");
    Topology t = new Topology(Sites.OWN, List.of(Sites.PARIS, brussels, Sites.LYON, paris2));
    List<String> copies =
        Placement.choose(Sites.cls("restricted"), t, Sites.free(t, GIB), 1, "blob");
    assertThat(copies).hasSize(2).contains("q1").containsAnyOf("p1", "p2");
  }

  @Test
  void choose_skipsOfflineAndFullVolumes() {
    Topology t =
        new Topology(Sites.OWN, List.of(site("a", "FR", "a1", "a2"), site("b", "DE", "b1", "b2")));
    Map<String, Long> free = new HashMap<>(Map.of("a1", 10L, "a2", 99L, "b2", 5000L));
    assertThat(Placement.choose(Sites.cls("sensitive"), t, free, 99, "x"))
        .containsExactly("b2", "a2");
  }

  @Test
  void choose_refusal_listsWhyEachSiteIsRefused() {
    Location paris =
        new Location("paris-1", "FR", Jurisdiction.EU, Sites.OWN, Set.of("hds"), List.of("p1"));
    Topology t = new Topology(Sites.OWN, List.of(paris, Sites.VIRGINIA));
    assertThatThrownBy(
            () -> Placement.choose(Sites.cls("sensitive"), t, Sites.free(t, GIB), 1, "b"))
        .isInstanceOf(PlacementException.class)
        .hasMessage(
            "class 'sensitive' needs 2 copies on 2 sites among allowed volumes; allowed: "
                + "none (site paris-1: not qualified secnumcloud; "
                + "site virginia: country US is not in the EU)");
  }

  @Test
  void choose_refusal_namesTheMissingSite() {
    assertThatThrownBy(
            () ->
                Placement.choose(
                    Sites.cls("sensitive"),
                    Sites.TOPOLOGY,
                    Sites.free(Sites.TOPOLOGY, GIB),
                    1,
                    "b"))
        .isInstanceOf(PlacementException.class)
        .hasMessage(
            "class 'sensitive' needs 2 copies on 2 sites among allowed volumes; allowed: "
                + "p1 (site paris-1), p2 (site paris-1), but only 1 site; not allowed: "
                + "site lyon-2: not qualified secnumcloud; site frankfurt: not qualified secnumcloud; "
                + "site oslo: country NO is not in the EU; site virginia: country US is not in the EU; "
                + "site somewhere: country not declared");
  }

  @Test
  void choose_refusal_marksOfflineAndFullVolumes() {
    Topology t =
        new Topology(Sites.OWN, List.of(site("a", "FR", "a1", "a2"), site("b", "DE", "b1")));
    Map<String, Long> free = Map.of("a1", 10L, "a2", 500L);
    assertThatThrownBy(() -> Placement.choose(Sites.cls("health"), t, free, 100, "x"))
        .isInstanceOf(PlacementException.class)
        .hasMessage(
            "class 'health' needs 2 copies on 2 sites among allowed volumes; allowed: "
                + "a1 (site a, full: 10 bytes free, needs 100), a2 (site a), b1 (site b, offline), "
                + "but only 1 usable volume on 1 site");
    assertThatThrownBy(() -> Placement.choose(Sites.cls("public"), t, Map.of(), 100, "x"))
        .hasMessage(
            "class 'public' needs 1 copy on 1 site among allowed volumes; allowed: "
                + "a1 (site a, offline), a2 (site a, offline), b1 (site b, offline), "
                + "but none is usable");
  }

  @Test
  void choose_neverPutsTwoCopiesOnOneVolume() {
    SensitivityClass three =
        new SensitivityClass("triple", LocationRule.ANYWHERE, 3, 1, Set.of("hsm"));
    Topology t = new Topology(null, List.of(site("a", "FR", "a1", "a2")));
    assertThatThrownBy(() -> Placement.choose(three, t, Sites.free(t, GIB), 1, "x"))
        .hasMessage(
            "class 'triple' needs 3 copies on 1 site among allowed volumes; allowed: "
                + "a1 (site a), a2 (site a), but only 2 volumes");
  }

  @Test
  void choose_equalVolumes_shareTheLoad() {
    Topology t =
        new Topology(null, List.of(site("a", "FR", "a1", "a2"), site("b", "FR", "b1", "b2")));
    Map<String, Long> free = Sites.free(t, 100 * GIB);
    free.put("b2", 100 * GIB + 12345);
    Map<String, Integer> hits = new HashMap<>();
    for (int i = 0; i < 8000; i++) {
      String v = Placement.choose(Sites.cls("internal"), t, free, 1, "blob-" + i).get(0);
      hits.merge(v, 1, Integer::sum);
    }
    assertThat(hits).containsOnlyKeys("a1", "a2", "b1", "b2");
    assertThat(hits.values()).allMatch(n -> n > 1700 && n < 2300);
  }

  @Test
  void choose_clearlyEmptierVolume_takesEveryWrite() {
    Topology t = new Topology(null, List.of(site("a", "FR", "a1", "a2")));
    Map<String, Long> free = Map.of("a1", 100 * GIB, "a2", 110 * GIB);
    for (int i = 0; i < 200; i++) {
      assertThat(Placement.choose(Sites.cls("public"), t, free, 1, "blob-" + i))
          .containsExactly("a2");
    }
  }

  @Test
  void choose_rejectsNegativeSizes() {
    assertThatThrownBy(
            () ->
                Placement.choose(
                    Sites.cls("public"), Sites.TOPOLOGY, Sites.free(Sites.TOPOLOGY, 1), -1, "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size -1 is negative");
  }

  @Test
  void freeRank_isMonotonicAndCoarse() {
    long previous = -1;
    for (long f = -3; f < 5000; f++) {
      long r = Placement.freeRank(f);
      assertThat(r).isGreaterThanOrEqualTo(previous);
      previous = r;
    }
    assertThat(Placement.freeRank(Long.MAX_VALUE))
        .isGreaterThan(Placement.freeRank(Long.MAX_VALUE / 2));
    assertThat(Placement.freeRank(100 * GIB)).isEqualTo(Placement.freeRank(100 * GIB + 4096));
    assertThat(Placement.freeRank(100 * GIB)).isLessThan(Placement.freeRank(107 * GIB));
  }

  @Test
  void check_compliantCopies_haveNoProblem() {
    assertThat(Placement.check(Sites.cls("health"), Sites.TOPOLOGY, List.of("p1", "o1"))).isEmpty();
    assertThat(Placement.check(Sites.cls("health"), Sites.TOPOLOGY, List.of("p1", "o1", "l2")))
        .isEmpty();
  }

  @Test
  void check_reportsEveryProblem() {
    assertThat(
            Placement.check(
                Sites.cls("sensitive"), Sites.TOPOLOGY, List.of("p1", "v1", "zz", "p1")))
        .containsExactly(
            "copy on volume v1 (site virginia) is not allowed: country US is not in the EU",
            "copy on unknown volume zz",
            "volume p1 is listed for more than one copy (counted once)",
            "class 'sensitive' needs 2 copies on 2 sites, but has 1 copy on allowed volumes",
            "class 'sensitive' needs 2 copies on 2 sites, but its allowed copies span 1 site "
                + "(paris-1)");
    assertThat(Placement.check(Sites.cls("health"), Sites.TOPOLOGY, List.of("p1", "p2")))
        .containsExactly(
            "class 'health' needs 2 copies on 2 sites, but its allowed copies span "
                + "1 site (paris-1)");
    assertThat(Placement.check(Sites.cls("public"), Sites.TOPOLOGY, List.of()))
        .containsExactly(
            "class 'public' needs 1 copy on 1 site, but has 0 copies on allowed volumes",
            "class 'public' needs 1 copy on 1 site, but its allowed copies span 0 sites");
  }
}
