package fr.coffre.server;

import fr.coffre.service.MultipartService;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts the uploads left unfinished for longer than the expiry, at start and then every tenth of
 * it (at most hourly), so abandoned parts do not hold disk space forever.
 */
final class UploadSweeper {
  private static final Logger LOG = LoggerFactory.getLogger(UploadSweeper.class);

  private final Periodic periodic;

  /** Wraps the sweep (a node of a cluster runs it under a lease). */
  @FunctionalInterface
  interface Guard {
    Runnable wrap(Duration period, Runnable task);
  }

  UploadSweeper(MultipartService multipart, Clock clock, Duration expiry) {
    this(multipart, clock, expiry, (period, task) -> task);
  }

  UploadSweeper(MultipartService multipart, Clock clock, Duration expiry, Guard guard) {
    Duration period =
        expiry.dividedBy(10).compareTo(Duration.ofHours(1)) > 0
            ? Duration.ofHours(1)
            : expiry.dividedBy(10).plusMillis(1);
    this.periodic =
        new Periodic(
            "upload-sweeper",
            period,
            guard.wrap(
                period,
                () -> {
                  int aborted = multipart.abortInitiatedBefore(clock.instant().minus(expiry));
                  if (aborted > 0) {
                    LOG.info(
                        "aborted {} multipart uploads unfinished for more than {}",
                        aborted,
                        expiry);
                  }
                }));
  }

  void start() {
    periodic.start();
  }

  void stop() throws InterruptedException {
    periodic.stop();
  }
}
