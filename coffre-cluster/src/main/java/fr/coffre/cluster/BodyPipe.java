package fr.coffre.cluster;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A request body fed by a writing thread: {@link #send} hands one buffer to the HTTP client when it
 * asks for more, and waits while it does not, so the writer is held back by the network (no
 * unbounded buffering) and never waits longer than the timeout (a stalled peer fails the write
 * instead of hanging it).
 *
 * <p>Built on the client's own demand signal rather than a piped stream: {@link
 * java.io.PipedInputStream} breaks when the thread that last read from it ends, which is what the
 * client's thread-per-task executor does. Signals to the subscriber are serialized (never two at
 * once, never before {@code onSubscribe} returned), as {@link Flow} requires. One subscriber only:
 * a body that was partly sent cannot be sent again.
 */
final class BodyPipe implements Flow.Publisher<ByteBuffer> {
  private final ReentrantLock lock = new ReentrantLock();

  /** Held while signalling the subscriber, never taken while holding {@link #lock}. */
  private final ReentrantLock emit = new ReentrantLock();

  private final Condition changed = lock.newCondition();
  private final Duration timeout;
  private final String what;

  private Flow.@Nullable Subscriber<? super ByteBuffer> subscriber;
  private boolean ready;
  private long demand;
  private boolean cancelled;

  /**
   * Whether the client has asked for data once. The JDK's client is ready for the end of a body
   * only then: an {@code onComplete} delivered during {@code subscribe} (a body finished before the
   * client subscribed) made it fail with a NullPointerException in {@code Http1Exchange}.
   */
  private boolean asked;

  private boolean completed;
  private @Nullable Throwable failure;
  private boolean terminated;

  /**
   * @param what the transfer, for error messages
   */
  BodyPipe(Duration timeout, String what) {
    this.timeout = timeout;
    this.what = what;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
    lock.lock();
    try {
      if (subscriber != null) {
        s.onSubscribe(
            new Flow.Subscription() {
              @Override
              public void request(long n) {}

              @Override
              public void cancel() {}
            });
        s.onError(new IllegalStateException(what + ": the body can be sent only once"));
        return;
      }
      subscriber = s;
    } finally {
      lock.unlock();
    }
    emit.lock();
    try {
      s.onSubscribe(new Subscription());
    } finally {
      emit.unlock();
    }
    lock.lock();
    try {
      ready = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    drain();
  }

  private final class Subscription implements Flow.Subscription {
    @Override
    public void request(long n) {
      lock.lock();
      try {
        if (n <= 0) {
          failure = new IllegalArgumentException("non-positive request " + n);
          cancelled = true;
        } else {
          demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
          asked = true;
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      drain();
    }

    @Override
    public void cancel() {
      lock.lock();
      try {
        cancelled = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Sends one buffer, which the caller must not touch afterwards; waits for the client's demand.
   *
   * @throws IOException when the request ended (the peer answered or failed), or no demand came
   *     within the timeout
   */
  void send(ByteBuffer item) throws IOException {
    Flow.Subscriber<? super ByteBuffer> s;
    lock.lock();
    try {
      long left = timeout.toNanos();
      while (!(ready && demand > 0) && !cancelled && !terminated && failure == null) {
        if (left <= 0) {
          throw new HttpTimeoutException(what + ": the peer took no data for " + timeout);
        }
        try {
          left = changed.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException(what + ": interrupted");
        }
      }
      Throwable f = failure;
      if (f != null) {
        throw new IOException(what + " failed: " + f.getMessage(), f);
      }
      if (cancelled || terminated || subscriber == null) {
        throw new IOException(what + ": the request ended before its body");
      }
      demand--;
      s = subscriber;
    } finally {
      lock.unlock();
    }
    emit.lock();
    try {
      if (isTerminated()) {
        throw new IOException(what + ": the request ended before its body");
      }
      s.onNext(item);
    } finally {
      emit.unlock();
    }
  }

  private boolean isTerminated() {
    lock.lock();
    try {
      return terminated;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the body normally. */
  void complete() {
    lock.lock();
    try {
      completed = true;
    } finally {
      lock.unlock();
    }
    drain();
  }

  /** Ends the body with an error, which makes the client abort the request; idempotent. */
  void fail(Throwable cause) {
    lock.lock();
    try {
      if (failure == null) {
        failure = cause;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    drain();
  }

  /** Delivers the end of the body once the subscriber is ready for it, exactly once. */
  private void drain() {
    Flow.Subscriber<? super ByteBuffer> s;
    Throwable f;
    lock.lock();
    try {
      if (!ready || terminated || cancelled || (failure == null && !(completed && asked))) {
        return;
      }
      terminated = true;
      s = subscriber;
      f = failure;
    } finally {
      lock.unlock();
    }
    if (s == null) {
      return;
    }
    emit.lock();
    try {
      if (f != null) {
        s.onError(f);
      } else {
        s.onComplete();
      }
    } finally {
      emit.unlock();
    }
  }
}
