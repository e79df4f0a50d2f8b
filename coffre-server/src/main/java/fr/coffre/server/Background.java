package fr.coffre.server;

import fr.coffre.metadata.MetadataStore;
import fr.coffre.service.BlobJanitor;
import fr.coffre.storage.PlacedBlobStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The server's periodic work, started once it listens and stopped before it closes: the sweeper of
 * abandoned multipart uploads, due KMS key destructions, the scrubber, the purge of ended share
 * links, the buckets' lifecycle rules, the sweep of expired web sessions and quiet failed
 * authentications, and (for a sealed root key) the unsealer that watches the passphrase source.
 *
 * <p>On a node of a cluster each job but the unsealer runs under a lease in the shared metadata
 * ({@link ClusterNode#leased}): one node at a time does it (the first to take the lease keeps it
 * while it lives; another takes over a period after it stops), instead of every node scrubbing and
 * sweeping the same objects.
 */
final class Background {
  /** Ended share links are kept this long (they show as ended, not unknown), then deleted. */
  static final Duration ENDED_SHARES_KEPT = Duration.ofDays(30);

  private final UploadSweeper uploads;
  private final Periodic keyDeletions;
  private final Periodic scrubs;
  private final Periodic sharePurge;
  private final Periodic lifecycle;
  private final Periodic authSweep;
  private final Unsealer unsealer;
  private final @Nullable Periodic orphans;
  private final WebhookDelivery webhooks;
  private final Periodic clearValues;

  Background(ServerConfig config, RootKeys rootKeys, Services s, Stores stores, Clock clock)
      throws IOException {
    ClusterNode node = stores.cluster();
    this.uploads =
        new UploadSweeper(
            s.multipart(),
            clock,
            config.uploadExpiry(),
            (period, task) -> node == null ? task : node.leased("upload-sweeper", period, task));
    this.keyDeletions =
        periodic(node, "key-deletions", Duration.ofMinutes(1), s.keys()::destroyDue);
    this.scrubs = periodic(node, "scrub", stores.placements().scrubInterval(), s.scrubber()::scrub);
    this.sharePurge =
        periodic(
            node, "share-links", Duration.ofHours(1), () -> s.shares().purge(ENDED_SHARES_KEPT));
    this.lifecycle =
        periodic(node, "lifecycle", config.lifecycleInterval(), () -> s.lifecycle().run());
    MetadataStore metadata = stores.metadata();
    this.authSweep =
        periodic(
            node,
            "auth-sweep",
            AUTH_SWEEP,
            () -> {
              Instant now = clock.instant();
              metadata.sessions().sweepSessions(now);
              metadata.lockouts().forgetQuietFailures(now.minus(FAILURES_KEPT), now);
            });
    this.webhooks =
        new WebhookDelivery(
            s.notifications(), config.notifications().maxBackoff(), s.audit(), clock);
    this.clearValues =
        periodic(node, "seal-clear-values", CLEAR_VALUES_RETRY, new ClearValueSealing(metadata));
    this.unsealer = rootKeys.sealed() == null ? null : new Unsealer(rootKeys, config.sealed());
    // A node collects the orphans of its own volumes an hour old (its start cannot: a peer's
    // write in flight looks the same); each node its own, so no lease.
    BlobJanitor janitor = new BlobJanitor(stores.metadata(), new PlacedBlobStore(stores.local()));
    this.orphans =
        node == null
            ? null
            : new Periodic(
                "orphan-sweep",
                ORPHAN_AGE,
                () -> janitor.collectCommittedBefore(clock.instant().minus(ORPHAN_AGE)));
  }

  /** How often expired sessions and quiet failure counts are deleted. */
  static final Duration AUTH_SWEEP = Duration.ofMinutes(10);

  /** How soon the sealing of clear values is tried again after a failure (a sealed root key). */
  static final Duration CLEAR_VALUES_RETRY = Duration.ofMinutes(1);

  /**
   * An unlocked subject without a failure for this long is forgotten (its lock-out count with it:
   * the next lock starts again from the base duration).
   */
  static final Duration FAILURES_KEPT = Duration.ofDays(1);

  /** A blob without a row this old is an orphan: no write takes an hour between its two commits. */
  static final Duration ORPHAN_AGE = Duration.ofHours(1);

  private static Periodic periodic(
      @Nullable ClusterNode node, String name, Duration period, Runnable task) {
    return new Periodic(name, period, node == null ? task : node.leased(name, period, task));
  }

  void start() {
    uploads.start();
    keyDeletions.start();
    scrubs.start();
    sharePurge.start();
    lifecycle.start();
    authSweep.start();
    webhooks.start();
    clearValues.start();
    if (orphans != null) {
      orphans.start();
    }
    if (unsealer != null) {
      unsealer.start();
    }
  }

  void stop() throws InterruptedException {
    if (unsealer != null) {
      unsealer.stop();
    }
    uploads.stop();
    keyDeletions.stop();
    scrubs.stop();
    sharePurge.stop();
    lifecycle.stop();
    authSweep.stop();
    webhooks.stop();
    clearValues.stop();
    if (orphans != null) {
      orphans.stop();
    }
  }
}
