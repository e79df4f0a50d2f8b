package fr.coffre.server;

import fr.coffre.admin.ClusterAdmin;
import fr.coffre.core.NodeRecord;
import fr.coffre.metadata.NodeStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's view of a cluster's nodes ({@code /admin/v1/nodes}), always read fresh from the
 * metadata (not from the node's cached view of its peers): listing, draining, removing a node that
 * is not running. A change is followed by {@code refreshed}, so this node's own placement sees it
 * at once.
 */
final class NodesAdmin implements ClusterAdmin {
  private final NodeStore nodes;
  private final String self;
  private final Clock clock;
  private final Runnable refreshed;

  NodesAdmin(NodeStore nodes, String self, Clock clock, Runnable refreshed) {
    this.nodes = nodes;
    this.self = self;
    this.clock = clock;
    this.refreshed = refreshed;
  }

  @Override
  public Object nodes() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (NodeRecord n : nodes.nodes()) {
      out.add(describe(n));
    }
    return Map.of("nodes", out);
  }

  @Override
  public Optional<Map<String, Object>> setDraining(String node, boolean draining) {
    if (!nodes.setNodeState(node, draining ? NodeRecord.State.DRAINING : NodeRecord.State.ACTIVE)) {
      return Optional.empty();
    }
    refreshed.run();
    return find(node).map(this::describe);
  }

  @Override
  public boolean remove(String node) {
    Optional<NodeRecord> n = find(node);
    if (n.isEmpty()) {
      return false;
    }
    if (n.get().alive(clock.instant(), ClusterNode.LIVE_FOR)) {
      throw new IllegalStateException(
          "node "
              + node
              + " is running (it reported "
              + Duration.between(n.get().heartbeat(), clock.instant()).toSeconds()
              + " s ago); stop it first, or drain it to stop new copies");
    }
    boolean removed = nodes.removeNode(node);
    refreshed.run();
    return removed;
  }

  private Optional<NodeRecord> find(String node) {
    return nodes.nodes().stream().filter(x -> x.name().equals(node)).findFirst();
  }

  private Map<String, Object> describe(NodeRecord n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", n.name());
    m.put("site", n.site());
    m.put("address", n.address());
    m.put("alive", n.alive(clock.instant(), ClusterNode.LIVE_FOR));
    m.put("state", n.state().name().toLowerCase(Locale.ROOT));
    m.put("lastHeartbeat", n.heartbeat().equals(Instant.EPOCH) ? null : n.heartbeat().toString());
    m.put("started", n.started().toString());
    m.put("volumes", n.volumes());
    m.put("self", n.name().equals(self));
    return m;
  }
}
