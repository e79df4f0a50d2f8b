package fr.coffre.server;

import fr.coffre.core.SealedException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task on a virtual thread at start and then every period, until stopped; failures are
 * logged and retried.
 */
final class Periodic {
  private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);

  private final String name;
  private final Duration period;
  private final Runnable task;
  private volatile Thread thread;

  Periodic(String name, Duration period, Runnable task) {
    this.name = name;
    this.period = period;
    this.task = task;
  }

  void start() {
    thread =
        Thread.ofVirtual()
            .name(name)
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      task.run();
                    } catch (SealedException e) {
                      // nothing to do until the root key is unsealed
                    } catch (RuntimeException e) {
                      LOG.warn("{} failed; will retry", name, e);
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
