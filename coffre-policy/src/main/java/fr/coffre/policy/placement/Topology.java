package fr.coffre.policy.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Every location declared in configuration, and the operator's own name (which {@link
 * LocationRule#ownSitesOnly()} compares each location's operator with).
 *
 * @param operator the operator's own name, or null when not declared (then no location counts as
 *     the operator's own)
 * @param locations the declared locations, at least one; site names are unique and each volume
 *     belongs to exactly one location
 * @param nodes in a cluster, the node that serves each volume: copies of one blob then go to
 *     distinct nodes, so that losing a machine loses at most one copy. Empty on a single server
 *     (every volume is then its own failure domain, as before clusters existed).
 */
public record Topology(
    @Nullable String operator, List<Location> locations, Map<String, String> nodes) {

  /** A single server's topology: no nodes. */
  public Topology(@Nullable String operator, List<Location> locations) {
    this(operator, locations, Map.of());
  }

  /** Validates the operator name, site uniqueness and volume ownership. */
  public Topology {
    if (operator != null && operator.isBlank()) {
      throw new IllegalArgumentException("topology: operator is blank (omit it when not declared)");
    }
    if (locations == null || locations.isEmpty()) {
      throw new IllegalArgumentException("topology: no location declared");
    }
    Set<String> sites = new HashSet<>();
    Map<String, String> siteOfVolume = new HashMap<>();
    for (Location l : locations) {
      if (l == null) {
        throw new IllegalArgumentException("topology: a location is null");
      }
      if (!sites.add(l.site())) {
        throw new IllegalArgumentException("topology: site '" + l.site() + "' is declared twice");
      }
      for (String v : l.volumes()) {
        String other = siteOfVolume.putIfAbsent(v, l.site());
        if (other != null) {
          throw new IllegalArgumentException(
              "topology: volume '"
                  + v
                  + "' belongs to both site '"
                  + other
                  + "' and site '"
                  + l.site()
                  + "'");
        }
      }
    }
    locations = List.copyOf(locations);
    if (nodes == null) {
      nodes = Map.of();
    }
    if (!nodes.isEmpty()) {
      for (String v : siteOfVolume.keySet()) {
        String node = nodes.get(v);
        if (node == null || node.isBlank()) {
          throw new IllegalArgumentException("topology: volume '" + v + "' has no node");
        }
      }
      for (String v : nodes.keySet()) {
        if (!siteOfVolume.containsKey(v)) {
          throw new IllegalArgumentException(
              "topology: node of volume '" + v + "' given, but no site declares that volume");
        }
      }
    }
    nodes = Map.copyOf(nodes);
  }

  /** Whether copies must go to distinct nodes (a cluster). */
  public boolean clustered() {
    return !nodes.isEmpty();
  }

  /**
   * The failure domain of a volume: its node in a cluster, else the volume itself (on one server
   * every volume counts apart, as before clusters existed).
   */
  public String nodeOf(String volume) {
    return nodes.getOrDefault(volume, volume);
  }

  /** The location holding {@code volume}, or empty when no location declares it. */
  public Optional<Location> locationOf(String volume) {
    for (Location l : locations) {
      if (l.volumes().contains(volume)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  /** Every volume, in declaration order (locations, then volumes within each). */
  public List<String> volumes() {
    List<String> all = new ArrayList<>();
    for (Location l : locations) {
      all.addAll(l.volumes());
    }
    return List.copyOf(all);
  }
}
