package fr.coffre.policy.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Placement in a cluster: no two copies of a blob on one node. */
class ClusterPlacementTest {
  private static final long GIB = 1L << 30;

  /** Paris has two volumes on one machine (node-a), Lyon one on node-b. */
  private static final Topology SHARED_NODE =
      new Topology(
          Sites.OWN,
          List.of(Sites.PARIS, Sites.LYON),
          Map.of("p1", "node-a", "p2", "node-a", "l1", "node-b", "l2", "node-b"));

  @Test
  void personal_twoVolumesOfOneNode_areNeverBothChosen() {
    Topology t =
        new Topology(
            Sites.OWN,
            List.of(Sites.PARIS, Sites.LYON),
            Map.of("p1", "node-a", "p2", "node-a", "l1", "node-b", "l2", "node-c"));
    Map<String, Long> free = Sites.free(t, GIB);
    free.put("p1", 900 * GIB);
    free.put("p2", 800 * GIB);
    for (int i = 0; i < 200; i++) {
      List<String> copies = Placement.choose(Sites.cls("personal"), t, free, 10, "blob-" + i);
      assertThat(copies).hasSize(2);
      assertThat(copies.stream().map(t::nodeOf)).doesNotHaveDuplicates();
    }
  }

  @Test
  void personal_allVolumesOnOneNode_isRefusedNamingTheNode() {
    Topology t =
        new Topology(Sites.OWN, List.of(Sites.PARIS), Map.of("p1", "node-a", "p2", "node-a"));
    assertThatThrownBy(
            () -> Placement.choose(Sites.cls("personal"), t, Sites.free(t, GIB), 10, "b"))
        .isInstanceOf(PlacementException.class)
        .hasMessageContaining("only 1 node (node-a)")
        .hasMessageContaining("distinct nodes");
  }

  @Test
  void singleServer_keepsTwoCopiesOnTwoVolumesOfTheSameMachine() {
    Topology t = new Topology(Sites.OWN, List.of(Sites.PARIS));
    assertThat(Placement.choose(Sites.cls("personal"), t, Sites.free(t, GIB), 10, "b"))
        .containsExactlyInAnyOrder("p1", "p2");
  }

  @Test
  void nodeDown_itsVolumesOffline_writesGoToTheOthersIfTheClassAllows() {
    Topology t =
        new Topology(
            Sites.OWN,
            List.of(Sites.PARIS, Sites.LYON),
            Map.of("p1", "n1", "p2", "n2", "l1", "n3", "l2", "n3"));
    Map<String, Long> free = Sites.free(t, GIB);
    free.remove("p1"); // n1 is down
    List<String> copies = Placement.choose(Sites.cls("health"), t, free, 10, "b");
    assertThat(copies).hasSize(2).doesNotContain("p1");
    assertThat(copies.stream().map(t::nodeOf)).doesNotHaveDuplicates();
  }

  @Test
  void check_twoCopiesOnOneNode_isAProblem() {
    assertThat(Placement.check(Sites.cls("personal"), SHARED_NODE, List.of("p1", "p2")))
        .anyMatch(p -> p.contains("share node node-a"))
        .anyMatch(p -> p.contains("has 1 copy"));
    assertThat(Placement.check(Sites.cls("personal"), SHARED_NODE, List.of("p1", "l1"))).isEmpty();
  }

  @Test
  void topology_volumeWithoutNode_isRefused() {
    assertThatThrownBy(() -> new Topology(Sites.OWN, List.of(Sites.PARIS), Map.of("p1", "node-a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("volume 'p2' has no node");
  }

  /**
   * Random clusters: whatever is chosen has distinct nodes and the class's copies and sites; a
   * refusal is confirmed by brute force over every set of volumes.
   */
  @Test
  void randomClusters_choicesAreValid_refusalsHaveNoValidPlacement() {
    Random random = new Random(42);
    List<Location> locations = List.of(Sites.PARIS, Sites.LYON, Sites.FRANKFURT, Sites.OSLO);
    for (int round = 0; round < 2000; round++) {
      Map<String, String> nodes = new java.util.HashMap<>();
      int nodeCount = 1 + random.nextInt(4);
      for (Location l : locations) {
        for (String v : l.volumes()) {
          nodes.put(v, "n" + random.nextInt(nodeCount));
        }
      }
      Topology t = new Topology(Sites.OWN, locations, nodes);
      Map<String, Long> free = Sites.free(t, GIB);
      for (String v : t.volumes()) {
        if (random.nextInt(4) == 0) {
          free.remove(v);
        }
      }
      for (String name : List.of("internal", "personal", "health")) {
        SensitivityClass c = Sites.cls(name);
        try {
          List<String> copies = Placement.choose(c, t, free, 10, "b" + round);
          assertThat(copies).hasSize(c.minCopies());
          assertThat(copies.stream().map(t::nodeOf)).doesNotHaveDuplicates();
          assertThat(Placement.check(c, t, copies)).isEmpty();
          assertThat(copies).allMatch(free::containsKey);
        } catch (PlacementException e) {
          assertThat(anyValid(c, t, free)).as("refused, yet a placement exists: " + e).isFalse();
        }
      }
    }
  }

  private static boolean anyValid(SensitivityClass c, Topology t, Map<String, Long> free) {
    List<String> online = t.volumes().stream().filter(free::containsKey).toList();
    int n = online.size();
    for (int mask = 0; mask < (1 << n); mask++) {
      if (Integer.bitCount(mask) != c.minCopies()) {
        continue;
      }
      List<String> pick = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        if ((mask & (1 << i)) != 0) {
          pick.add(online.get(i));
        }
      }
      Set<String> nodes = new HashSet<>();
      pick.forEach(v -> nodes.add(t.nodeOf(v)));
      if (nodes.size() == pick.size() && Placement.check(c, t, pick).isEmpty()) {
        return true;
      }
    }
    return false;
  }
}
