package fr.coffre.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.NodeRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link NodeStore} must have; an implementation's test extends this. */
public abstract class NodeStoreContract {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static final Duration LIVE = Duration.ofSeconds(10);
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

  private static NodeRecord node(String name, String instance, Instant at, String... volumes) {
    Map<String, Long> v = new java.util.LinkedHashMap<>();
    for (String volume : volumes) {
      v.put(volume, 1000L);
    }
    return new NodeRecord(
        name,
        "site-" + name,
        "127.0.0.1:90" + name.length(),
        instance,
        at,
        at,
        NodeRecord.State.ACTIVE,
        v);
  }

  @Test
  void register_thenList_showsTheNodeAndItsVolumes() {
    store.nodes().registerNode(node("n1", "i1", T0, "v1", "v2"), T0, LIVE);
    store.nodes().registerNode(node("n2", "i2", T0, "v3"), T0, LIVE);
    assertThat(store.nodes().nodes()).extracting(NodeRecord::name).containsExactly("n1", "n2");
    NodeRecord n1 = store.nodes().nodes().get(0);
    assertThat(n1.volumes()).containsOnlyKeys("v1", "v2");
    assertThat(n1.site()).isEqualTo("site-n1");
    assertThat(n1.alive(T0.plusSeconds(5), LIVE)).isTrue();
    assertThat(n1.alive(T0.plusSeconds(11), LIVE)).isFalse();
  }

  @Test
  void sameNameWhileTheOtherRuns_isRefused_afterItsHeartbeatLapses_isTakenOver() {
    store.nodes().registerNode(node("n1", "first", T0, "v1"), T0, LIVE);
    Instant soon = T0.plusSeconds(3);
    assertThatThrownBy(
            () -> store.nodes().registerNode(node("n1", "second", soon, "v1"), soon, LIVE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("node 'n1' is already running");
    Instant later = T0.plusSeconds(30);
    store.nodes().registerNode(node("n1", "second", later, "v1"), later, LIVE);
    assertThat(store.nodes().heartbeat("n1", "first", Map.of(), later)).isFalse();
    assertThat(store.nodes().heartbeat("n1", "second", Map.of("v1", 5L), later)).isTrue();
    assertThat(store.nodes().nodes().get(0).volumes()).containsEntry("v1", 5L);
  }

  @Test
  void restartOfTheSameInstanceName_afterACleanLeave_isAccepted() {
    store.nodes().registerNode(node("n1", "first", T0, "v1"), T0, LIVE);
    store.nodes().leaveNode("n1", "first");
    assertThat(store.nodes().nodes().get(0).alive(T0, LIVE)).isFalse();
    Instant soon = T0.plusSeconds(1);
    store.nodes().registerNode(node("n1", "second", soon, "v1"), soon, LIVE);
    assertThat(store.nodes().nodes().get(0).instance()).isEqualTo("second");
  }

  @Test
  void volumeOwnedByAnotherNode_isRefused() {
    store.nodes().registerNode(node("n1", "i1", T0, "v1"), T0, LIVE);
    assertThatThrownBy(() -> store.nodes().registerNode(node("n2", "i2", T0, "v2", "v1"), T0, LIVE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("volume 'v1' is registered by node 'n1'");
    assertThat(store.nodes().nodes()).extracting(NodeRecord::name).containsExactly("n1");
  }

  @Test
  void drainAndRemove() {
    store.nodes().registerNode(node("n1", "i1", T0, "v1"), T0, LIVE);
    assertThat(store.nodes().setNodeState("n1", NodeRecord.State.DRAINING)).isTrue();
    Instant later = T0.plusSeconds(60);
    store.nodes().registerNode(node("n1", "i2", later, "v1"), later, LIVE);
    assertThat(store.nodes().nodes().get(0).state()).isEqualTo(NodeRecord.State.DRAINING);
    assertThat(store.nodes().removeNode("n1")).isTrue();
    assertThat(store.nodes().removeNode("n1")).isFalse();
    assertThat(store.nodes().setNodeState("n1", NodeRecord.State.ACTIVE)).isFalse();
    store.nodes().registerNode(node("n2", "i3", later, "v1"), later, LIVE);
    assertThat(store.nodes().nodes()).extracting(NodeRecord::name).containsExactly("n2");
  }

  @Test
  void reRegistration_replacesTheVolumeList() {
    store.nodes().registerNode(node("n1", "i1", T0, "v1", "v2"), T0, LIVE);
    store.nodes().leaveNode("n1", "i1");
    store.nodes().registerNode(node("n1", "i2", T0, "v2"), T0, LIVE);
    assertThat(store.nodes().nodes().get(0).volumes()).containsOnlyKeys("v2");
    store.nodes().registerNode(node("n2", "i3", T0, "v1"), T0, LIVE);
  }

  @Test
  void lease_oneHolderAtATime_renewedByItsHolder_takenOverWhenExpired() {
    Duration ttl = Duration.ofMinutes(1);
    assertThat(store.nodes().tryLease("scrub", "n1", ttl, T0)).isTrue();
    assertThat(store.nodes().tryLease("scrub", "n2", ttl, T0.plusSeconds(30))).isFalse();
    assertThat(store.nodes().tryLease("scrub", "n1", ttl, T0.plusSeconds(50))).isTrue();
    assertThat(store.nodes().tryLease("scrub", "n2", ttl, T0.plusSeconds(100))).isFalse();
    assertThat(store.nodes().tryLease("scrub", "n2", ttl, T0.plusSeconds(111))).isTrue();
    assertThat(store.nodes().tryLease("scrub", "n1", ttl, T0.plusSeconds(112))).isFalse();
    assertThat(store.nodes().tryLease("sweep", "n1", ttl, T0.plusSeconds(112))).isTrue();
  }

  @Test
  void lease_concurrentTakers_exactlyOneWins() throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      java.util.List<java.util.concurrent.Future<Boolean>> tries = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String holder = "n" + i;
        tries.add(
            pool.submit(() -> store.nodes().tryLease("race", holder, Duration.ofMinutes(1), T0)));
      }
      int won = 0;
      for (var f : tries) {
        won += f.get() ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void generations_startAtZero_andCountBumps() {
    assertThat(store.nodes().generation("identities")).isZero();
    store.nodes().bumpGeneration("identities");
    store.nodes().bumpGeneration("identities");
    assertThat(store.nodes().generation("identities")).isEqualTo(2);
    assertThat(store.nodes().generation("other")).isZero();
  }
}
