package fr.coffre.admin;

import java.util.Map;
import java.util.Optional;

/**
 * The operator's view of a cluster's nodes, served under {@code /admin/v1/nodes}: the list with
 * each node's state and volumes, draining (no new copies go to it) and removal of a node declared
 * lost (its volumes then count as gone, and the scrubber recreates their copies elsewhere).
 */
public interface ClusterAdmin {

  /** Every registered node: name, site, address, alive, state, volumes with their free bytes. */
  Object nodes();

  /**
   * Sets a node draining or active again.
   *
   * @return the node as {@link #nodes} shows it, or empty when there is no such node
   */
  Optional<Map<String, Object>> setDraining(String node, boolean draining);

  /**
   * Forgets a node that is not running.
   *
   * @return false when there is no such node
   * @throws IllegalStateException when the node is running (stop it first)
   */
  boolean remove(String node);
}
