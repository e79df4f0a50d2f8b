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

  private final MultipartService multipart;
  private final Clock clock;
  private final Duration expiry;
  private volatile Thread thread;

  UploadSweeper(MultipartService multipart, Clock clock, Duration expiry) {
    this.multipart = multipart;
    this.clock = clock;
    this.expiry = expiry;
  }

  void start() {
    Duration period = expiry.dividedBy(10).compareTo(Duration.ofHours(1)) > 0
        ? Duration.ofHours(1) : expiry.dividedBy(10).plusMillis(1);
    thread = Thread.ofVirtual().name("upload-sweeper").start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          int aborted = multipart.abortInitiatedBefore(clock.instant().minus(expiry));
          if (aborted > 0) {
            LOG.info("aborted {} multipart uploads unfinished for more than {}", aborted, expiry);
          }
        } catch (RuntimeException e) {
          LOG.warn("sweeping abandoned uploads failed; will retry", e);
        }
        try {
          Thread.sleep(period);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  void stop() throws InterruptedException {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      t.join(5_000);
    }
  }
}
