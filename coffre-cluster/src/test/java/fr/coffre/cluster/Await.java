package fr.coffre.cluster;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits, polling briefly, for something another thread does (the peer noticing a dead sender). */
final class Await {
  private Await() {}

  /** Whether {@code condition} became true within {@code limit}. */
  static boolean until(Callable<Boolean> condition, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }
}
