package fr.coffre.metadata;

import fr.coffre.core.NodeRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@link NodeStore} of the SQL stores. */
final class SqlNodes implements NodeStore {
  private final SqlDatabase db;

  SqlNodes(SqlDatabase db) {
    this.db = db;
  }

  @Override
  public void registerNode(NodeRecord node, Instant now, Duration liveFor) {
    db.transaction(
        "registerNode",
        s -> {
          Optional<NodeRecord> old = s.nodes().find(node.name(), true);
          if (old.isPresent()
              && !old.get().instance().equals(node.instance())
              && old.get().alive(now, liveFor)) {
            throw new IllegalStateException(
                "node '"
                    + node.name()
                    + "' is already running (at "
                    + old.get().address()
                    + ", last heartbeat "
                    + Duration.between(old.get().heartbeat(), now).toSeconds()
                    + " s ago); give this node another name, or stop the other one");
          }
          for (String v : node.volumes().keySet()) {
            Optional<String> owner = s.nodes().ownerOf(v);
            if (owner.isPresent() && !owner.get().equals(node.name())) {
              throw new IllegalStateException(
                  "volume '"
                      + v
                      + "' is registered by node '"
                      + owner.get()
                      + "'; a volume belongs to one node (remove that node first with"
                      + " `coffre admin nodes remove "
                      + owner.get()
                      + "` if it is lost)");
            }
          }
          NodeRecord.State state = old.map(NodeRecord::state).orElse(node.state());
          s.nodes()
              .upsert(
                  new NodeRecord(
                      node.name(),
                      node.site(),
                      node.address(),
                      node.instance(),
                      node.started(),
                      node.heartbeat(),
                      state,
                      node.volumes()));
          return null;
        });
  }

  @Override
  public boolean heartbeat(String name, String instance, Map<String, Long> freeBytes, Instant now) {
    return db.transaction(
        "heartbeat",
        s -> {
          if (!s.nodes().beat(name, instance, now)) {
            return false;
          }
          for (Map.Entry<String, Long> v : freeBytes.entrySet()) {
            s.nodes().setFree(name, v.getKey(), v.getValue());
          }
          return true;
        });
  }

  @Override
  public void leaveNode(String name, String instance) {
    db.transaction("leaveNode", s -> s.nodes().beat(name, instance, Instant.EPOCH));
  }

  @Override
  public List<NodeRecord> nodes() {
    return db.read("nodes", s -> s.nodes().all());
  }

  @Override
  public boolean setNodeState(String name, NodeRecord.State state) {
    return db.transaction("setNodeState", s -> s.nodes().setState(name, state));
  }

  @Override
  public boolean removeNode(String name) {
    return db.transaction("removeNode", s -> s.nodes().delete(name));
  }

  @Override
  public boolean tryLease(String name, String holder, Duration ttl, Instant now) {
    return db.transaction(
        "tryLease",
        s -> s.nodes().lease(name, holder, now.plus(ttl).toEpochMilli(), now.toEpochMilli()));
  }

  @Override
  public long generation(String name) {
    return db.read("generation", s -> s.nodes().generation(name));
  }

  @Override
  public void bumpGeneration(String name) {
    db.transaction(
        "bumpGeneration",
        s -> {
          s.nodes().bump(name);
          return null;
        });
  }
}
