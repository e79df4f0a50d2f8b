package fr.coffre.policy.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property tests of {@link Placement} on random topologies and classes. Whatever choose() returns
 * must satisfy the class, and whatever it refuses must be impossible (checked by brute force).
 */
class PlacementPropertyTest {
  private static final int CASES_PER_SEED = 2500;
  private static final String[] COUNTRIES = {
    "FR", "DE", "IT", "ES", "NL", "BE", "NO", "IS", "LI", "US", "CH", "GB", "CA", null
  };
  private static final String[] QUALIFICATIONS = {"secnumcloud", "hds", "iso27001", "c5"};
  private static final String[] OPERATORS = {"coffre-ops", "acme", "hyperscaler", null};
  private static final Jurisdiction[] JURISDICTIONS = {Jurisdiction.EU, Jurisdiction.NON_EU, null};
  private static final String[] KEY_MODES = {"file", "sealed", "hsm"};

  /** The EEA, written out independently of {@link Countries}. */
  private static final Set<String> EEA =
      Set.of(
          "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
          "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO");

  private record Case(
      SensitivityClass cls, Topology topology, Map<String, Long> free, long size, String blob) {}

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {20240607L, 7L, 0xC0FFEEL})
  void choose_returnsOnlyValidPlacements_andRefusesOnlyImpossibleOnes(long seed) {
    Random random = new Random(seed);
    int placed = 0;
    int refused = 0;
    for (int i = 0; i < CASES_PER_SEED; i++) {
      Case c = randomCase(random);
      for (Location l : c.topology().locations()) {
        boolean allowed = c.cls().whyNot(l, c.topology()) == null;
        assertThat(allowed)
            .as("whyNot vs reference, %s", c)
            .isEqualTo(referenceAllows(c.cls().rule(), l, c.topology().operator()));
      }
      PlacementException refusal =
          catchThrowableOfType(
              PlacementException.class,
              () -> Placement.choose(c.cls(), c.topology(), c.free(), c.size(), c.blob()));
      if (refusal == null) {
        placed++;
        verifyPlacement(c);
      } else {
        refused++;
        assertThat(bruteForceFindsPlacement(c))
            .as("spurious refusal of %s: %s", c, refusal.getMessage())
            .isFalse();
        assertThat(refusal.getMessage()).startsWith("class '" + c.cls().name() + "' needs ");
        for (Location l : c.topology().locations()) {
          String why = c.cls().whyNot(l, c.topology());
          if (why != null) {
            assertThat(refusal.getMessage()).contains("site " + l.site() + ": " + why);
          }
        }
      }
    }
    assertThat(placed).as("placed").isGreaterThan(CASES_PER_SEED / 5);
    assertThat(refused).as("refused").isGreaterThan(CASES_PER_SEED / 5);
  }

  private static void verifyPlacement(Case c) {
    Topology t = c.topology();
    SensitivityClass cls = c.cls();
    List<String> copies = Placement.choose(cls, t, c.free(), c.size(), c.blob());
    assertThat(copies).as("%s", c).hasSize(cls.minCopies()).doesNotHaveDuplicates();
    Set<String> sites = new HashSet<>();
    for (String v : copies) {
      Location l = t.locationOf(v).orElseThrow();
      assertThat(cls.whyNot(l, t)).as("%s on %s", c, v).isNull();
      assertThat(referenceAllows(cls.rule(), l, t.operator())).as("%s on %s", c, v).isTrue();
      assertThat(c.free().get(v)).as("%s on %s", c, v).isNotNull().isGreaterThanOrEqualTo(c.size());
      sites.add(l.site());
    }
    assertThat(sites.size())
        .as("sites of %s for %s", copies, c)
        .isGreaterThanOrEqualTo(cls.minSites())
        .isEqualTo(Math.min(cls.minCopies(), usableSites(c).size()));
    assertThat(Placement.choose(cls, t, c.free(), c.size(), c.blob())).isEqualTo(copies);
    assertThat(Placement.choose(cls, t, new HashMap<>(c.free()), c.size(), c.blob()))
        .isEqualTo(copies);
    assertThat(Placement.check(cls, t, copies)).as("check of %s for %s", copies, c).isEmpty();
    // within a site, the chosen volumes are the ones with the most free space
    for (String v : copies) {
      Location l = t.locationOf(v).orElseThrow();
      for (String other : l.volumes()) {
        if (!copies.contains(other) && usable(c, other)) {
          assertThat(Placement.freeRank(c.free().get(other)))
              .as("%s chosen over %s for %s", v, other, c)
              .isLessThanOrEqualTo(Placement.freeRank(c.free().get(v)));
        }
      }
    }
  }

  private static boolean usable(Case c, String volume) {
    Location l = c.topology().locationOf(volume).orElseThrow();
    Long free = c.free().get(volume);
    return referenceAllows(c.cls().rule(), l, c.topology().operator())
        && free != null
        && free >= c.size();
  }

  private static Set<String> usableSites(Case c) {
    Set<String> sites = new HashSet<>();
    for (String v : c.topology().volumes()) {
      if (usable(c, v)) {
        sites.add(c.topology().locationOf(v).orElseThrow().site());
      }
    }
    return sites;
  }

  /** Whether any set of minCopies distinct volumes satisfies the class, trying every subset. */
  private static boolean bruteForceFindsPlacement(Case c) {
    List<String> volumes = c.topology().volumes();
    boolean[] usable = new boolean[volumes.size()];
    String[] site = new String[volumes.size()];
    for (int i = 0; i < usable.length; i++) {
      usable[i] = usable(c, volumes.get(i));
      site[i] = c.topology().locationOf(volumes.get(i)).orElseThrow().site();
    }
    return search(c.cls(), usable, site, 0, new int[c.cls().minCopies()], 0);
  }

  private static boolean search(
      SensitivityClass cls, boolean[] usable, String[] site, int from, int[] chosen, int n) {
    if (n == chosen.length) {
      Set<String> sites = new HashSet<>();
      for (int i : chosen) {
        if (!usable[i]) {
          return false;
        }
        sites.add(site[i]);
      }
      return sites.size() >= cls.minSites();
    }
    for (int i = from; i < usable.length; i++) {
      if (!usable[i]) {
        continue; // no subset holding an unusable volume is valid: skip them all at once
      }
      chosen[n] = i;
      if (search(cls, usable, site, i + 1, chosen, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /** The class rules, restated as plainly as possible. */
  private static boolean referenceAllows(LocationRule rule, Location l, String own) {
    String country = l.country();
    if (rule.countries() != null && (country == null || !rule.countries().contains(country))) {
      return false;
    }
    if (rule.eea() && (country == null || !EEA.contains(country))) {
      return false;
    }
    if (rule.euJurisdiction() && l.jurisdiction() != Jurisdiction.EU) {
      return false;
    }
    if (!l.qualifications().containsAll(rule.qualifications())) {
      return false;
    }
    return !rule.ownSitesOnly() || (own != null && own.equals(l.operator()));
  }

  private static Case randomCase(Random r) {
    List<Location> locations = new ArrayList<>();
    int sites = 1 + r.nextInt(6);
    for (int s = 0; s < sites; s++) {
      List<String> volumes = new ArrayList<>();
      int count = 1 + r.nextInt(4);
      for (int v = 0; v < count; v++) {
        volumes.add("s" + s + "-v" + v);
      }
      locations.add(
          new Location(
              "site-" + s,
              pick(r, COUNTRIES),
              pick(r, JURISDICTIONS),
              pick(r, OPERATORS),
              subset(r, QUALIFICATIONS, 0.6),
              volumes));
    }
    Topology topology = new Topology(pick(r, OPERATORS), locations);
    long size = r.nextInt(4) == 0 ? 0 : r.nextInt(600);
    Map<String, Long> free = new HashMap<>();
    for (String v : topology.volumes()) {
      int dice = r.nextInt(10);
      if (dice == 0) {
        continue; // offline
      }
      free.put(v, dice < 4 ? 1000L : (long) r.nextInt(1001));
    }
    return new Case(randomClass(r), topology, free, size, "blob-" + r.nextInt(1000));
  }

  private static SensitivityClass randomClass(Random r) {
    if (r.nextBoolean()) {
      List<String> names = SensitivityClasses.defaults().names();
      return SensitivityClasses.defaults().get(names.get(r.nextInt(names.size())));
    }
    Set<String> countries = null;
    if (r.nextBoolean()) {
      countries = new HashSet<>();
      while (countries.isEmpty()) {
        for (String c : COUNTRIES) {
          if (c != null && r.nextInt(3) == 0) {
            countries.add(c);
          }
        }
      }
    }
    LocationRule rule =
        new LocationRule(
            countries,
            r.nextInt(3) == 0,
            r.nextInt(3) == 0,
            subset(r, QUALIFICATIONS, 0.2),
            r.nextInt(5) == 0);
    int copies = 1 + r.nextInt(r.nextBoolean() ? 3 : SensitivityClass.MAX_COPIES);
    int minSites = 1 + r.nextInt(copies);
    Set<String> keys = subset(r, KEY_MODES, 0.5);
    if (keys.isEmpty()) {
      keys = Set.of(pick(r, KEY_MODES));
    }
    return new SensitivityClass("custom-" + r.nextInt(100), rule, copies, minSites, keys);
  }

  private static <T> T pick(Random r, T[] values) {
    return values[r.nextInt(values.length)];
  }

  private static Set<String> subset(Random r, String[] values, double p) {
    Set<String> s = new HashSet<>();
    for (String v : values) {
      if (r.nextDouble() < p) {
        s.add(v);
      }
    }
    return s;
  }
}
