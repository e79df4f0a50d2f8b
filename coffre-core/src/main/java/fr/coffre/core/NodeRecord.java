package fr.coffre.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A node of a cluster as registered in the shared metadata: where its peers reach it, which volumes
 * it serves and how much room each has, and when it last said it was alive.
 *
 * @param name the node's name, unique in the cluster
 * @param site the placement site the node stands in
 * @param address the internal API's {@code HOST:PORT}
 * @param instance a random id of the running process: a second process claiming the same name is
 *     told apart from a restart of the first
 * @param started when this process registered
 * @param heartbeat when it last reported; {@link Instant#EPOCH} once it left cleanly
 * @param state whether new copies may go to it
 * @param volumes each volume the node serves, with its free bytes (what writes may still use)
 */
public record NodeRecord(
    String name,
    String site,
    String address,
    String instance,
    Instant started,
    Instant heartbeat,
    State state,
    Map<String, Long> volumes) {

  /** Whether placement may send new copies to the node. */
  public enum State {
    /** Takes new copies. */
    ACTIVE,
    /** Serves what it holds, takes no new copies; the operator is emptying it. */
    DRAINING
  }

  public NodeRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(state, "state");
    volumes = Map.copyOf(volumes);
  }

  /** Whether the node reported within {@code liveFor} of {@code now}. */
  public boolean alive(Instant now, Duration liveFor) {
    return heartbeat.isAfter(now.minus(liveFor));
  }
}
