package fr.coffre.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Runs tasks on as many threads, released together, and collects what each returned or threw. */
final class Racing {
  private Racing() {}

  /** What one task did: its result, or the exception it threw. */
  record Outcome<T>(T value, Throwable error) {
    boolean ok() {
      return error == null;
    }
  }

  static <T> List<Outcome<T>> race(int tasks, IntFunction<Callable<T>> task)
      throws InterruptedException {
    CountDownLatch ready = new CountDownLatch(tasks);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(tasks);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        Callable<T> c = task.apply(i);
        futures.add(
            threads.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return c.call();
                }));
      }
      ready.await();
      go.countDown();
      List<Outcome<T>> outcomes = new ArrayList<>();
      for (Future<T> f : futures) {
        try {
          outcomes.add(new Outcome<>(f.get(), null));
        } catch (ExecutionException e) {
          outcomes.add(new Outcome<>(null, e.getCause()));
        }
      }
      return outcomes;
    } finally {
      threads.shutdownNow();
    }
  }
}
