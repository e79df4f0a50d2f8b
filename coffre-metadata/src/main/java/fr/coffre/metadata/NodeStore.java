package fr.coffre.metadata;

import fr.coffre.core.NodeRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The nodes of a cluster and the volumes each serves, shared through the metadata database: no
 * membership service of our own. A node registers at start, reports every few seconds (heartbeat,
 * with its volumes' free space) and leaves at a clean stop; a peer that has not reported for a
 * while counts as down. Each method is one durable transaction.
 */
public interface NodeStore {

  /**
   * Registers {@code node} (a first start, or a restart under the same name), with its volumes.
   *
   * @param liveFor how recent a heartbeat must be for a node to count as running
   * @throws IllegalStateException when another running process holds the name (a different instance
   *     whose heartbeat is within {@code liveFor} of {@code now}), or when another node has
   *     registered one of the volumes; the message says which
   */
  void registerNode(NodeRecord node, Instant now, Duration liveFor);

  /**
   * Records that {@code instance} of node {@code name} is alive at {@code now}, with its volumes'
   * free bytes.
   *
   * @return false when the row no longer belongs to this instance (it was removed, or another
   *     process took the name): the caller must stop serving as this node
   */
  boolean heartbeat(String name, String instance, Map<String, Long> freeBytes, Instant now);

  /** Marks the node as gone at once (a clean stop), so peers stop sending it copies. */
  void leaveNode(String name, String instance);

  /** Every registered node, by name. */
  List<NodeRecord> nodes();

  /** Sets a node's state; false if there is no such node. */
  boolean setNodeState(String name, NodeRecord.State state);

  /**
   * Forgets a node and its volumes (declared lost by the operator); false if there is no such node.
   * The caller checks that it is not running.
   */
  boolean removeNode(String name);

  /**
   * Takes or renews the lease {@code name} for {@code holder} until {@code now + ttl}, if it is
   * free, expired, or already {@code holder}'s: at most one holder at a time, decided by the
   * database in one statement (no lock service of our own).
   *
   * @return whether {@code holder} holds the lease now
   */
  boolean tryLease(String name, String holder, Duration ttl, Instant now);

  /** The counter {@code name} (0 before its first bump). */
  long generation(String name);

  /** Adds one to the counter {@code name}: whatever others cached under it is stale. */
  void bumpGeneration(String name);
}
