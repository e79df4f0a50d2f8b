package fr.coffre.policy.placement;

import static fr.coffre.policy.placement.Jurisdiction.EU;
import static fr.coffre.policy.placement.Jurisdiction.NON_EU;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Realistic locations shared by the placement tests. */
final class Sites {
  static final String OWN = "coffre-ops";

  static final Location PARIS =
      new Location("paris-1", "FR", EU, OWN, Set.of("secnumcloud", "hds"), List.of("p1", "p2"));
  static final Location LYON =
      new Location("lyon-2", "FR", EU, OWN, Set.of("hds"), List.of("l1", "l2"));
  static final Location FRANKFURT =
      new Location("frankfurt", "DE", EU, "hyperscaler", Set.of("iso27001"), List.of("f1"));
  static final Location OSLO =
      new Location("oslo", "NO", NON_EU, "nordic", Set.of("hds"), List.of("o1"));
  static final Location VIRGINIA =
      new Location("virginia", "US", NON_EU, "us-cloud", Set.of(), List.of("v1"));
  static final Location UNDECLARED =
      new Location("somewhere", null, null, null, null, List.of("s1"));

  static final List<Location> ALL = List.of(PARIS, LYON, FRANKFURT, OSLO, VIRGINIA, UNDECLARED);
  static final Topology TOPOLOGY = new Topology(OWN, ALL);

  private Sites() {}

  static Location byName(String site) {
    return ALL.stream().filter(l -> l.site().equals(site)).findFirst().orElseThrow();
  }

  /** The same free space for every volume of {@code t}. */
  static Map<String, Long> free(Topology t, long bytes) {
    Map<String, Long> free = new HashMap<>();
    for (String v : t.volumes()) {
      free.put(v, bytes);
    }
    return free;
  }

  static SensitivityClass cls(String name) {
    return SensitivityClasses.defaults().get(name);
  }
}
