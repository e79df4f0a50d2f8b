package fr.coffre.server;

import java.time.Clock;
import java.time.Duration;

/**
 * The server's periodic work, started once it listens and stopped before it closes: the sweeper of
 * abandoned multipart uploads, due KMS key destructions, the scrubber, the purge of ended share
 * links, the buckets' lifecycle rules, and (for a sealed root key) the unsealer that watches the
 * passphrase source.
 */
final class Background {
  /** Ended share links are kept this long (they show as ended, not unknown), then deleted. */
  static final Duration ENDED_SHARES_KEPT = Duration.ofDays(30);

  private final UploadSweeper uploads;
  private final Periodic keyDeletions;
  private final Periodic scrubs;
  private final Periodic sharePurge;
  private final Periodic lifecycle;
  private final Unsealer unsealer;

  Background(ServerConfig config, RootKeys rootKeys, Services s, Stores stores, Clock clock) {
    this.uploads = new UploadSweeper(s.multipart(), clock, config.uploadExpiry());
    this.keyDeletions =
        new Periodic("key-deletions", Duration.ofMinutes(1), () -> s.keys().destroyDue());
    this.scrubs = new Periodic("scrub", stores.placements().scrubInterval(), s.scrubber()::scrub);
    this.sharePurge =
        new Periodic("share-links", Duration.ofHours(1), () -> s.shares().purge(ENDED_SHARES_KEPT));
    this.lifecycle =
        new Periodic("lifecycle", config.lifecycleInterval(), () -> s.lifecycle().run());
    this.unsealer = rootKeys.sealed() == null ? null : new Unsealer(rootKeys, config.sealed());
  }

  void start() {
    uploads.start();
    keyDeletions.start();
    scrubs.start();
    sharePurge.start();
    lifecycle.start();
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
  }
}
