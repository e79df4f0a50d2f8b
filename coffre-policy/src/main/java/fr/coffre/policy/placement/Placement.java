package fr.coffre.policy.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Sovereign placement: on which volumes an object's copies go, and whether existing copies still
 * comply with their class. Pure functions of their arguments.
 *
 * <h2>Choosing volumes</h2>
 *
 * <p>A volume is usable for a write when its location is allowed by the class, it appears in the
 * free-space map (a missing volume is offline) and has at least the object's size free. Among the
 * usable volumes, {@link #choose} ranks by free space, most first, compared with a relative
 * precision of 3 to 6% (so that volumes of nearly equal free space count as equal, instead of one
 * taking every write until it is no longer the emptiest); equal volumes are ordered by a hash of
 * the blob id and the volume name (rendezvous hashing), so that they share the load evenly and
 * deterministically. It then takes the best volume of each site, best sites first, until it has
 * {@code minCopies} copies or no site is left, and fills any remaining copies with the best
 * remaining volumes: copies span as many sites as possible, up to {@code minCopies}.
 *
 * <p>In a cluster ({@link Topology#clustered()}) no two copies share a node: a machine lost loses
 * one copy at most. A volume on a node already chosen is skipped, and too few nodes with a usable
 * allowed volume is a refusal like too few sites.
 */
public final class Placement {
  private static final Comparator<Candidate> BEST_FIRST =
      Comparator.comparingLong(Candidate::freeRank)
          .reversed()
          .thenComparingLong(Candidate::tie)
          .thenComparing(Candidate::volume);

  private Placement() {}

  /**
   * The volumes for the copies of one object: exactly {@code c.minCopies()} distinct volumes, all
   * allowed by {@code c}, each with at least {@code size} bytes free, spanning at least {@code
   * c.minSites()} sites. Deterministic: the same arguments give the same list, best first.
   *
   * @param freeBytes free bytes per volume; a volume missing from it is offline
   * @param size the object's size in bytes, at least 0
   * @param blobId the object's blob id, which spreads writes among equal volumes
   * @throws PlacementException if no placement satisfies {@code c}; the message says why
   */
  public static List<String> choose(
      SensitivityClass c, Topology t, Map<String, Long> freeBytes, long size, String blobId) {
    Objects.requireNonNull(c, "sensitivity class");
    Objects.requireNonNull(t, "topology");
    Objects.requireNonNull(freeBytes, "freeBytes");
    Objects.requireNonNull(blobId, "blobId");
    if (size < 0) {
      throw new IllegalArgumentException("size " + size + " is negative");
    }
    List<Candidate> usable = new ArrayList<>();
    Set<String> usableSites = new HashSet<>();
    Set<String> usableNodes = new HashSet<>();
    for (Location l : t.locations()) {
      if (c.whyNot(l, t) != null) {
        continue;
      }
      for (String v : l.volumes()) {
        Long free = freeBytes.get(v);
        if (free != null && usable(free, size)) {
          usable.add(new Candidate(v, l.site(), t.nodeOf(v), freeRank(free), tie(blobId, v)));
          usableSites.add(l.site());
          usableNodes.add(t.nodeOf(v));
        }
      }
    }
    if (usable.size() < c.minCopies()
        || usableSites.size() < c.minSites()
        || usableNodes.size() < c.minCopies()) {
      throw new PlacementException(Refusal.explain(c, t, freeBytes, size));
    }
    usable.sort(BEST_FIRST);
    Set<String> chosen = new LinkedHashSet<>();
    Set<String> sites = new HashSet<>();
    Set<String> nodes = new HashSet<>();
    for (Candidate x : usable) {
      if (chosen.size() < c.minCopies() && !nodes.contains(x.node()) && sites.add(x.site())) {
        chosen.add(x.volume());
        nodes.add(x.node());
      }
    }
    for (Candidate x : usable) {
      if (chosen.size() < c.minCopies() && nodes.add(x.node())) {
        chosen.add(x.volume());
      }
    }
    if (chosen.size() < c.minCopies() || sitesOf(chosen, t).size() < c.minSites()) {
      // The greedy pass took a node a later site needed: search, best volumes first.
      List<Candidate> found = search(usable, c, new ArrayList<>());
      if (found == null) {
        throw new PlacementException(Refusal.explain(c, t, freeBytes, size));
      }
      return found.stream().map(Candidate::volume).toList();
    }
    return List.copyOf(chosen);
  }

  /**
   * The first set of {@code c.minCopies()} candidates, in best-first order, on distinct nodes and
   * spanning {@code c.minSites()} sites; null if there is none. Copies are few, so the search is
   * small; it prunes branches that can no longer reach enough sites.
   */
  private static @Nullable List<Candidate> search(
      List<Candidate> usable, SensitivityClass c, List<Candidate> picked) {
    Set<String> sites = new HashSet<>();
    Set<String> nodes = new HashSet<>();
    for (Candidate p : picked) {
      sites.add(p.site());
      nodes.add(p.node());
    }
    int left = c.minCopies() - picked.size();
    if (left == 0) {
      return sites.size() >= c.minSites() ? List.copyOf(picked) : null;
    }
    if (sites.size() + left < c.minSites()) {
      return null;
    }
    int start = picked.isEmpty() ? 0 : usable.indexOf(picked.get(picked.size() - 1)) + 1;
    for (int i = start; i < usable.size(); i++) {
      Candidate x = usable.get(i);
      if (nodes.contains(x.node())) {
        continue;
      }
      picked.add(x);
      List<Candidate> found = search(usable, c, picked);
      picked.remove(picked.size() - 1);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static Set<String> sitesOf(Set<String> volumes, Topology t) {
    Set<String> sites = new HashSet<>();
    for (String v : volumes) {
      t.locationOf(v).ifPresent(l -> sites.add(l.site()));
    }
    return sites;
  }

  /**
   * The problems of existing copies against {@code c}, for the residency report and repair: copies
   * on unknown or forbidden volumes, a volume listed twice, too few allowed copies, or allowed
   * copies on too few sites. Empty when the copies comply. Copies beyond {@code minCopies} on
   * allowed volumes are not a problem.
   *
   * @param copies the volumes holding a copy of the object
   */
  public static List<String> check(SensitivityClass c, Topology t, List<String> copies) {
    Objects.requireNonNull(c, "sensitivity class");
    Objects.requireNonNull(t, "topology");
    Objects.requireNonNull(copies, "copies");
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Set<String> sites = new LinkedHashSet<>();
    Map<String, String> volumeOnNode = new HashMap<>();
    int allowed = 0;
    for (String v : copies) {
      if (!seen.add(v)) {
        problems.add("volume " + v + " is listed for more than one copy (counted once)");
        continue;
      }
      Optional<Location> l = t.locationOf(v);
      if (l.isEmpty()) {
        problems.add("copy on unknown volume " + v);
        continue;
      }
      String why = c.whyNot(l.get(), t);
      if (why != null) {
        problems.add(
            "copy on volume " + v + " (site " + l.get().site() + ") is not allowed: " + why);
        continue;
      }
      String sameNode = volumeOnNode.putIfAbsent(t.nodeOf(v), v);
      if (sameNode != null) {
        problems.add(
            "copies on volumes "
                + sameNode
                + " and "
                + v
                + " share node "
                + t.nodeOf(v)
                + " (counted once)");
        continue;
      }
      allowed++;
      sites.add(l.get().site());
    }
    if (allowed < c.minCopies()) {
      problems.add(
          c.needs()
              + ", but has "
              + Values.count(allowed, "copy", "copies")
              + " on allowed volumes");
    }
    if (sites.size() < c.minSites()) {
      problems.add(
          c.needs()
              + ", but its allowed copies span "
              + Values.count(sites.size(), "site", "sites")
              + (sites.isEmpty() ? "" : " (" + String.join(", ", sites) + ")"));
    }
    return List.copyOf(problems);
  }

  /** Whether a volume with {@code free} bytes (null: offline) can take {@code size} bytes. */
  static boolean usable(@Nullable Long free, long size) {
    return free != null && free >= size;
  }

  /**
   * Free space reduced to a rank that keeps its binary exponent and the 4 bits after the leading
   * one: monotonic (more space never ranks lower), exact below 32 bytes, then within 3 to 6%.
   */
  static long freeRank(long free) {
    if (free < 32) {
      return Math.max(free, 0);
    }
    int exponent = 63 - Long.numberOfLeadingZeros(free);
    long mantissa = (free >>> (exponent - 4)) & 0xF;
    return ((long) (exponent - 3) << 4) | mantissa;
  }

  /** A well-mixed 64-bit hash of the blob id and the volume name (FNV-1a, then a finalizer). */
  static long tie(String blobId, String volume) {
    long h = 0xcbf29ce484222325L;
    h = fnv(h, blobId);
    h = (h ^ 0x1F) * 0x100000001b3L;
    h = fnv(h, volume);
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }

  private static long fnv(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  private record Candidate(String volume, String site, String node, long freeRank, long tie) {}
}
