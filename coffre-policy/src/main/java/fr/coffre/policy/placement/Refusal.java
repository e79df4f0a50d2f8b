package fr.coffre.policy.placement;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Explains why {@link Placement#choose} found no placement, for {@link PlacementException}. */
final class Refusal {
  private Refusal() {}

  /**
   * "class 'sensitive' needs 2 copies on 2 sites among allowed volumes; allowed: ..." followed by
   * every allowed volume (offline or full ones marked so) and the shortfall, then why each other
   * site is refused.
   */
  static String explain(SensitivityClass c, Topology t, Map<String, Long> freeBytes, long size) {
    List<String> allowed = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    int usable = 0;
    Set<String> usableSites = new HashSet<>();
    Set<String> usableNodes = new HashSet<>();
    for (Location l : t.locations()) {
      String why = c.whyNot(l, t);
      if (why != null) {
        refused.add("site " + l.site() + ": " + why);
        continue;
      }
      for (String v : l.volumes()) {
        Long free = freeBytes.get(v);
        if (Placement.usable(free, size)) {
          allowed.add(v + " (site " + l.site() + ")");
          usable++;
          usableSites.add(l.site());
          usableNodes.add(t.nodeOf(v));
        } else if (free == null) {
          allowed.add(v + " (site " + l.site() + ", offline)");
        } else {
          allowed.add(
              v + " (site " + l.site() + ", full: " + free + " bytes free, needs " + size + ")");
        }
      }
    }
    StringBuilder m = new StringBuilder(c.needs()).append(" among allowed volumes; allowed: ");
    if (allowed.isEmpty()) {
      return m.append("none (").append(String.join("; ", refused)).append(')').toString();
    }
    m.append(String.join(", ", allowed)).append(", but ");
    if (t.clustered()
        && usable >= c.minCopies()
        && usableSites.size() >= c.minSites()
        && usableNodes.size() < c.minCopies()) {
      m.append("they are on only ")
          .append(Values.count(usableNodes.size(), "node", "nodes"))
          .append(" (")
          .append(String.join(", ", new TreeSet<>(usableNodes)))
          .append("), and copies go to distinct nodes");
    } else if (usable >= c.minCopies() && usableSites.size() >= c.minSites()) {
      m.append("no choice of distinct nodes spans ")
          .append(Values.count(c.minSites(), "site", "sites"));
    } else {
      m.append(shortfall(c, usable, usableSites.size(), usable < allowed.size()));
    }
    if (!refused.isEmpty()) {
      m.append("; not allowed: ").append(String.join("; ", refused));
    }
    return m.toString();
  }

  private static String shortfall(
      SensitivityClass c, int usable, int usableSites, boolean someUnusable) {
    String qualifier = someUnusable ? "usable " : "";
    if (usable == 0) {
      return "none is usable";
    }
    if (usable < c.minCopies()) {
      return "only "
          + usable
          + " "
          + qualifier
          + (usable == 1 ? "volume" : "volumes")
          + (usableSites < c.minSites() ? " on " + Values.count(usableSites, "site", "sites") : "");
    }
    return "only " + usableSites + " " + qualifier + (usableSites == 1 ? "site" : "sites");
  }
}
