package fr.coffre.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/1.1 connections whose request line and headers must arrive whole within a deadline: the
 * slowloris defence that Jetty lacks. Jetty's idle timeout restarts at every byte, so a client
 * dripping one header byte a second holds its connection (and a file descriptor) for ever; here the
 * clock starts when the connection opens (so a TLS handshake counts too) and, on a kept-alive
 * connection, when the next request's first bytes arrive, and it is not restarted by anything but
 * the end of the headers. Past it the connection is closed without an answer (nothing of the
 * request was handled). Bodies are not concerned: the idle timeout and the per-address caps bound
 * them.
 *
 * <p>Built on Jetty's own {@code HttpConnection} (its parser calls back at a message's first byte
 * and at the end of its headers), from its internal package: a Jetty upgrade that changes those
 * callbacks fails this module's build or {@code SlowClientsIT}, not silently.
 */
final class HeaderDeadline extends HttpConnectionFactory {
  private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);

  private final long deadlineMillis;

  HeaderDeadline(HttpConfiguration http, Duration deadline) {
    super(http);
    this.deadlineMillis = deadline.toMillis();
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    Deadlined connection =
        new Deadlined(getHttpConfiguration(), connector, endPoint, connector.getScheduler());
    connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
    return configure(connection, connector, endPoint);
  }

  /** One connection and its pending deadline. */
  private final class Deadlined extends HttpConnection {
    private final Scheduler scheduler;
    private final AtomicReference<Scheduler.Task> pending = new AtomicReference<>();

    /** Between a message's start and the end of its headers (parser thread only). */
    private volatile boolean awaitingHeaders = true;

    Deadlined(
        HttpConfiguration config, Connector connector, EndPoint endPoint, Scheduler scheduler) {
      super(config, connector, endPoint);
      this.scheduler = scheduler;
    }

    @Override
    public void onOpen() {
      super.onOpen();
      arm();
    }

    @Override
    public void onFillable() {
      // Bytes have come: when they start a request (not a body), its deadline starts now.
      if (awaitingHeaders) {
        arm();
      }
      super.onFillable();
    }

    @Override
    public void onClose(Throwable cause) {
      disarm();
      super.onClose(cause);
    }

    private void arm() {
      if (pending.get() != null) {
        return;
      }
      Scheduler.Task task = scheduler.schedule(this::expire, deadlineMillis, TimeUnit.MILLISECONDS);
      if (!pending.compareAndSet(null, task)) {
        task.cancel();
      }
    }

    private void disarm() {
      Scheduler.Task task = pending.getAndSet(null);
      if (task != null) {
        task.cancel();
      }
    }

    private void expire() {
      if (pending.getAndSet(null) == null || !awaitingHeaders) {
        return;
      }
      LOG.debug(
          "closing {}: request headers not received within {} ms",
          getEndPoint().getRemoteSocketAddress(),
          deadlineMillis);
      getEndPoint().close();
    }

    @Override
    protected RequestHandler newRequestHandler() {
      return new RequestHandler() {
        @Override
        public void messageBegin() {
          // The parser starts a message as soon as it looks for one, bytes or not: the clock
          // starts at the next bytes (onFillable), not here, so that an idle kept-alive connection
          // is the idle timeout's.
          awaitingHeaders = true;
          super.messageBegin();
        }

        @Override
        public boolean headerComplete() {
          awaitingHeaders = false;
          disarm();
          return super.headerComplete();
        }
      };
    }
  }
}
