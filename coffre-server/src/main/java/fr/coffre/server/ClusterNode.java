package fr.coffre.server;

import fr.coffre.admin.ClusterAdmin;
import fr.coffre.core.NodeRecord;
import fr.coffre.metadata.NodeStore;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as a node of a cluster: its row in the shared metadata, and what it knows of its
 * peers. It registers at start (refused when a running node has its name or another node has one of
 * its volumes), then every {@link #HEARTBEAT} reports that it is alive with its volumes' free space
 * and reads the other rows. A peer counts as up while its last report is younger than {@link
 * #LIVE_FOR} and no call to it failed in that time; placement sees the volumes of a peer that is
 * down as offline, so writes go to the others when the class allows it and are refused otherwise,
 * and never wait for a dead machine.
 *
 * <p>Membership lives in the database the nodes already share (PostgreSQL brings its own HA), so
 * there is no membership protocol here; the price is that a node's view is up to {@link #HEARTBEAT}
 * old, which a failed call shortens ({@link #suspect}).
 *
 * <p><b>A peer that reports but cannot be reached</b> (a network partition between nodes that all
 * still reach the database) stays down for this node: a suspected peer is up again only once a call
 * to it succeeds, which the heartbeat tries ({@link #probeWith}), not merely because its row is
 * fresh. Otherwise every heartbeat would make it up again and the next write would wait out a
 * connection timeout and fail, instead of being placed elsewhere or refused with the reason.
 */
final class ClusterNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

  static final Duration HEARTBEAT = Duration.ofSeconds(2);
  static final Duration LIVE_FOR = Duration.ofSeconds(10);

  private final ServerConfig.Cluster config;
  private final NodeStore nodes;
  private final String site;
  private final Set<String> localVolumes;
  private final Function<String, @Nullable Long> localFree;
  private final Clock clock;
  private final String instance;
  private volatile Map<String, NodeRecord> peers = Map.of();
  private volatile Instant viewedAt = Instant.EPOCH;
  private volatile Instant reachedAgain = Instant.EPOCH;
  private volatile boolean unreachable;
  private final Map<String, Instant> suspected = new ConcurrentHashMap<>();
  private final Set<String> probing = ConcurrentHashMap.newKeySet();
  private volatile @Nullable Predicate<String> probe;
  private final Map<String, Watch> watched = new ConcurrentHashMap<>();
  private volatile boolean lost;
  private @Nullable Periodic beat;

  /**
   * @param site the placement site of this node's volumes
   * @param localFree what a write may still use of a local volume, or null when it is offline
   */
  ClusterNode(
      ServerConfig.Cluster config,
      NodeStore nodes,
      String site,
      Set<String> localVolumes,
      Function<String, @Nullable Long> localFree,
      Clock clock) {
    this.config = config;
    this.nodes = nodes;
    this.site = site;
    this.localVolumes = Set.copyOf(localVolumes);
    this.localFree = localFree;
    this.clock = clock;
    byte[] id = new byte[8];
    new SecureRandom().nextBytes(id);
    this.instance = HexFormat.of().formatHex(id);
  }

  String name() {
    return config.node();
  }

  /**
   * Claims the node's name and volumes; not yet alive for the peers (they see it once {@link
   * #start} has reported, after its internal API listens).
   *
   * @throws IllegalStateException naming the conflict: a running node with this name, or a volume
   *     another node has
   */
  void register() {
    Instant now = clock.instant();
    nodes.registerNode(
        new NodeRecord(
            config.node(),
            site,
            config.address().host() + ":" + config.address().port(),
            instance,
            now,
            Instant.EPOCH,
            NodeRecord.State.ACTIVE,
            freeOfLocalVolumes()),
        now,
        LIVE_FOR);
    refresh();
    LOG.info(
        "node {} (site {}) registered with volumes {}; peers: {}",
        config.node(),
        site,
        localVolumes,
        peers.keySet());
  }

  /** Reports now and every {@link #HEARTBEAT}; the internal API must be listening. */
  void start(int boundPort) {
    if (boundPort != config.address().port()) {
      // Port 0 in the configuration: peers must learn the port actually bound.
      Instant now = clock.instant();
      nodes.registerNode(
          new NodeRecord(
              config.node(),
              site,
              config.address().host() + ":" + boundPort,
              instance,
              now,
              Instant.EPOCH,
              NodeRecord.State.ACTIVE,
              freeOfLocalVolumes()),
          now,
          LIVE_FOR);
    }
    beat();
    beat = new Periodic("cluster-heartbeat", HEARTBEAT, this::beat);
    beat.start();
  }

  private void beat() {
    try {
      if (!nodes.heartbeat(config.node(), instance, freeOfLocalVolumes(), clock.instant())) {
        if (!lost) {
          LOG.error(
              "node {}: its registration was removed or taken by another process; this node"
                  + " sends no new copies to peers and its volumes count as offline",
              config.node());
        }
        lost = true;
      }
      refresh();
      probeSuspects();
      if (unreachable) {
        // Every node's heartbeats stopped with the database: give them a period to report again.
        reachedAgain = clock.instant();
        unreachable = false;
      }
      checkGenerations();
    } catch (RuntimeException e) {
      unreachable = true;
      throw e;
    }
  }

  private void refresh() {
    Instant at = clock.instant();
    Map<String, NodeRecord> all = new LinkedHashMap<>();
    for (NodeRecord n : nodes.nodes()) {
      all.put(n.name(), n);
    }
    peers = all;
    viewedAt = at;
  }

  private Map<String, Long> freeOfLocalVolumes() {
    Map<String, Long> free = new LinkedHashMap<>();
    for (String v : localVolumes) {
      Long f = localFree.apply(v);
      free.put(v, f == null ? -1L : f);
    }
    return free;
  }

  /**
   * A peer's internal API, or null when it is down (or unknown): HTTPS when this node speaks mutual
   * TLS, as every node of a cluster must then (a plain peer fails every call, loudly).
   */
  @Nullable URI addressOf(String node) {
    NodeRecord n = peers.get(node);
    if (n == null && viewedAt.isBefore(clock.instant().minus(FRESH))) {
      try {
        refresh();
      } catch (RuntimeException e) {
        return null;
      }
      n = peers.get(node);
    }
    if (n == null || !up(n)) {
      return null;
    }
    return URI.create((config.tls() ? "https://" : "http://") + n.address());
  }

  /**
   * What a write may use of {@code volume}: a local volume's own measure, a peer's last report;
   * null (offline) when its node is down, draining, or when this node lost its registration.
   */
  @Nullable Long freeBytes(String volume) {
    if (lost) {
      return null;
    }
    if (localVolumes.contains(volume)) {
      return localFree.apply(volume);
    }
    Long free = peerFree(volume);
    if (free == null && viewedAt.isBefore(clock.instant().minus(FRESH))) {
      // A node that just joined (or came back) is seen now rather than at the next heartbeat.
      try {
        refresh();
      } catch (RuntimeException e) {
        return null;
      }
      free = peerFree(volume);
    }
    return free;
  }

  /** How recent the view must be before a volume is called offline without reading again. */
  private static final Duration FRESH = Duration.ofMillis(500);

  private @Nullable Long peerFree(String volume) {
    for (NodeRecord n : peers.values()) {
      Long free = n.volumes().get(volume);
      if (free != null) {
        return up(n) && n.state() == NodeRecord.State.ACTIVE && free >= 0 ? free : null;
      }
    }
    return null;
  }

  /**
   * Whether a peer's row says it lives: it had reported within {@link #LIVE_FOR} when this node
   * last read the table, or this node regained the database less than {@link #LIVE_FOR} ago (the
   * outage stopped every node's heartbeat, not only the dead ones').
   */
  private boolean presumedAlive(NodeRecord n) {
    return n.alive(viewedAt, LIVE_FOR) || viewedAt.isBefore(reachedAgain.plus(LIVE_FOR));
  }

  /**
   * Whether a peer counts as up: its row says it lives ({@link #presumedAlive}), and no call to it
   * failed since. Ages are measured from that read, not from now: while this node cannot read the
   * database (an outage), the peers' rows only look old, and a peer that really died is caught by
   * the first call that fails.
   */
  private boolean up(NodeRecord n) {
    Instant now = clock.instant();
    if (!presumedAlive(n)) {
      return false;
    }
    Instant s = suspected.get(n.name());
    if (s == null) {
      return true;
    }
    // Without a probe, a report after the failed call (or time) clears the suspicion.
    return probe == null && (s.isBefore(now.minus(LIVE_FOR)) || s.isBefore(n.heartbeat()));
  }

  /**
   * Marks a peer down after a call to it failed, until a call to it succeeds again (see {@link
   * #probeWith}): the next writes go elsewhere instead of failing on it too.
   */
  void suspect(String node) {
    if (suspected.put(node, clock.instant()) == null) {
      LOG.warn("node {}: a call to it failed; counted as down until it answers again", node);
    }
  }

  /**
   * {@code reachable} answers whether a call to a peer succeeds now (a light authenticated request
   * to its internal API); each heartbeat asks it, off the heartbeat's thread, for every suspected
   * peer that reports, and only its yes makes the peer up again.
   */
  void probeWith(Predicate<String> reachable) {
    this.probe = reachable;
  }

  /** A peer's internal API whatever this node suspects of it: where a probe calls. */
  @Nullable URI probeAddressOf(String node) {
    NodeRecord n = peers.get(node);
    if (n == null || !presumedAlive(n)) {
      return null;
    }
    return URI.create((config.tls() ? "https://" : "http://") + n.address());
  }

  private void probeSuspects() {
    Predicate<String> reachable = probe;
    if (reachable == null) {
      return;
    }
    for (String node : suspected.keySet()) {
      NodeRecord n = peers.get(node);
      if (n == null) {
        suspected.remove(node); // removed from the cluster
        continue;
      }
      if (!presumedAlive(n) || !probing.add(node)) {
        continue; // not reporting (nothing to try yet), or a probe already under way
      }
      Thread.ofVirtual()
          .name("cluster-probe-" + node)
          .uncaughtExceptionHandler((t, e) -> LOG.error("{} died", t.getName(), e))
          .start(
              () -> {
                try {
                  if (reachable.test(node)) {
                    suspected.remove(node);
                    LOG.info("node {}: answers again; counted as up", node);
                  }
                } finally {
                  probing.remove(node);
                }
              });
    }
  }

  /**
   * {@code task} run only while this node holds the lease {@code name} (taken or renewed for a
   * period and a minute at each run): one node of the cluster does the job; if it stops, another
   * takes over once the lease has run out.
   */
  Runnable leased(String name, Duration period, Runnable task) {
    Duration ttl = period.plus(Duration.ofMinutes(1));
    return () -> {
      if (nodes.tryLease(name, config.node(), ttl, clock.instant())) {
        task.run();
      } else {
        LOG.debug("{}: another node holds the lease", name);
      }
    };
  }

  /**
   * Calls {@code onChange} at the first heartbeat that sees the counter {@code generation} moved
   * (another node changed what it counts): caches of it are dropped within a heartbeat.
   */
  void watch(String generation, Runnable onChange) {
    watched.put(generation, new Watch(onChange, nodes.generation(generation)));
  }

  private record Watch(Runnable onChange, long seen) {}

  private void checkGenerations() {
    for (Map.Entry<String, Watch> w : watched.entrySet()) {
      long now = nodes.generation(w.getKey());
      if (now != w.getValue().seen()) {
        w.setValue(new Watch(w.getValue().onChange(), now));
        w.getValue().onChange().run();
      }
    }
  }

  /**
   * Every node registered in the cluster, this one included, sorted by name, read afresh (a node
   * that joined a moment ago counts). Throws when the database cannot say: a stale view could leave
   * a node out of an audit export without a word.
   */
  List<String> registeredNodes() {
    refresh();
    return peers.keySet().stream().sorted().toList();
  }

  /** The registered peers that are not reporting: they may come back with their copies. */
  List<String> downNodes() {
    List<String> down = new ArrayList<>();
    for (NodeRecord n : peers.values()) {
      if (!n.name().equals(config.node()) && !presumedAlive(n)) {
        down.add(n.name());
      }
    }
    return down;
  }

  /** The operator's view of the nodes ({@code /admin/v1/nodes}). */
  ClusterAdmin admin() {
    return new NodesAdmin(nodes, config.node(), clock, this::refresh);
  }

  @Override
  public void close() {
    if (beat != null) {
      try {
        beat.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      nodes.leaveNode(config.node(), instance);
    } catch (RuntimeException e) {
      LOG.warn("node {}: could not record its leave: {}", config.node(), e.toString());
    }
  }
}
