package fr.coffre.cluster;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A response body read as it arrives, where every read waits at most the timeout for data: the
 * JDK's own {@code BodyHandlers.ofInputStream()} waits forever on a peer that stalls mid-body. Its
 * response is handed over as soon as the headers arrive (the body is this stream, not its content),
 * and it asks the client for one batch of buffers at a time, so a slow reader holds back the peer
 * through TCP instead of filling memory.
 */
final class ResponseStream implements HttpResponse.BodySubscriber<ResponseStream>, Closeable {
  private static final Object END = new Object();

  private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
  private final Duration timeout;
  private final String what;
  private volatile Flow.@Nullable Subscription subscription;
  private volatile boolean closed;
  private Iterator<ByteBuffer> batch = List.<ByteBuffer>of().iterator();
  private @Nullable ByteBuffer current;
  private boolean ended;

  /**
   * @param what the transfer, for error messages
   */
  ResponseStream(Duration timeout, String what) {
    this.timeout = timeout;
    this.what = what;
  }

  @Override
  public CompletionStage<ResponseStream> getBody() {
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (closed) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    arrived.add(item);
  }

  @Override
  public void onError(Throwable t) {
    arrived.add(t);
  }

  @Override
  public void onComplete() {
    arrived.add(END);
  }

  /** Reads into {@code dst}; -1 at the end of the body. */
  int read(ByteBuffer dst) throws IOException {
    if (closed) {
      throw new IOException(what + ": stream closed");
    }
    while (true) {
      ByteBuffer b = current;
      if (b != null && b.hasRemaining()) {
        int n = Math.min(b.remaining(), dst.remaining());
        dst.put(dst.position(), b, b.position(), n);
        dst.position(dst.position() + n);
        b.position(b.position() + n);
        return n;
      }
      if (batch.hasNext()) {
        current = batch.next();
        continue;
      }
      if (ended) {
        return -1;
      }
      Object next = take();
      if (next == END) {
        ended = true;
        return -1;
      }
      if (next instanceof Throwable t) {
        ended = true;
        throw new IOException(what + " failed: " + t.getMessage(), t);
      }
      @SuppressWarnings("unchecked")
      List<ByteBuffer> buffers = (List<ByteBuffer>) next;
      batch = buffers.iterator();
      Flow.Subscription s = subscription;
      if (s != null) {
        s.request(1);
      }
    }
  }

  private Object take() throws IOException {
    Object next;
    try {
      next = arrived.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new InterruptedIOException(what + ": interrupted");
    }
    if (next == null) {
      close();
      throw new HttpTimeoutException(what + ": no data from the peer for " + timeout);
    }
    return next;
  }

  /** Reads the start of a body (an error message), at most {@code max} bytes, and closes. */
  String prefix(int max) {
    ByteBuffer b = ByteBuffer.allocate(max);
    try {
      while (b.hasRemaining() && read(b) >= 0) {
        // keep reading
      }
    } catch (IOException e) {
      // what was read is enough
    }
    close();
    return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
  }

  /** This stream as an {@link InputStream}, sharing its position and its timeout. */
  InputStream asInputStream() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        int n;
        do {
          n = ResponseStream.this.read(ByteBuffer.wrap(b, off, len));
        } while (n == 0);
        return n;
      }

      @Override
      public void close() {
        ResponseStream.this.close();
      }
    };
  }

  /** Stops reading; a body not read to its end is cancelled (the connection is dropped). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Flow.Subscription s = subscription;
    if (s != null && !ended) {
      s.cancel();
    }
  }
}
