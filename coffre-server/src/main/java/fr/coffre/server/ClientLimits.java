package fr.coffre.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one client address may hold of one listener — connections open at once, requests in progress
 * at once — and the size limits Jetty does not check by itself (header count, target length). A
 * connection beyond its address's cap is closed as soon as it opens; a request beyond it is
 * answered {@code 503 SlowDown} with {@code Retry-After} (S3 XML on the S3 listener, JSON on the
 * others), which every S3 SDK retries with back-off. Jetty's own handlers do not fit: {@code
 * ThreadLimitHandler} queues the excess instead of refusing it, {@code DoSHandler} limits a rate,
 * not what is held at once.
 *
 * <p>Counts live in a map of the addresses that hold something now: an entry goes when its last
 * connection closes, so the map is bounded by the open connections (themselves capped).
 */
final class ClientLimits implements Connection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(ClientLimits.class);

  /** The {@code Retry-After} of a request refused for its address's cap, in seconds. */
  static final int RETRY_AFTER_SECONDS = 1;

  private final String listener;
  private final ServerConfig.Limits limits;
  private final boolean s3;
  private final int maxConnections;
  private final int maxRequests;
  private final int maxHeaderCount;
  private final int maxUrlLength;
  private final Map<InetAddress, Held> held = new ConcurrentHashMap<>();
  // A closed channel no longer tells its peer: each open connection's address is kept until then.
  private final Map<Connection, InetAddress> addresses = new ConcurrentHashMap<>();
  private final LongAdder refusedConnections = new LongAdder();
  private final LongAdder refusedRequests = new LongAdder();

  /** What one address holds now. */
  private static final class Held {
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
  }

  /**
   * @param listener the listener's name, for logs
   * @param s3 whether refusals are S3 XML (else JSON)
   * @param limits the caps; 0 for none
   */
  ClientLimits(String listener, boolean s3, ServerConfig.Limits limits) {
    this.listener = listener;
    this.limits = limits;
    this.s3 = s3;
    this.maxConnections = limits.maxConnectionsPerAddress();
    this.maxRequests = limits.maxRequestsPerAddress();
    this.maxHeaderCount = limits.maxHeaderCount();
    this.maxUrlLength = limits.maxUrlLength();
  }

  ServerConfig.Limits limits() {
    return limits;
  }

  long refusedConnections() {
    return refusedConnections.sum();
  }

  long refusedRequests() {
    return refusedRequests.sum();
  }

  private static InetAddress address(SocketAddress remote) {
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }

  @Override
  public void onOpened(Connection connection) {
    // Under TLS a socket carries two connections (TLS, then HTTP over it): count the socket's.
    if (!(connection.getEndPoint() instanceof SocketChannelEndPoint)) {
      return;
    }
    InetAddress address = address(connection.getEndPoint().getRemoteSocketAddress());
    if (address == null) {
      return;
    }
    addresses.put(connection, address);
    // Counts change inside the map's compute, so an entry is never removed under a count.
    int now =
        held.compute(
                address,
                (a, x) -> {
                  Held h = x == null ? new Held() : x;
                  h.connections.incrementAndGet();
                  return h;
                })
            .connections
            .get();
    if (maxConnections > 0 && now > maxConnections) {
      refusedConnections.increment();
      if (refusedConnections.sum() % 1000 == 1) {
        LOG.warn(
            "{} listener: {} holds {} connections, over its cap of {}: new ones are closed"
                + " (limits.max-connections-per-address)",
            listener,
            address.getHostAddress(),
            now - 1,
            maxConnections);
      }
      connection.getEndPoint().close();
    }
  }

  @Override
  public void onClosed(Connection connection) {
    InetAddress address = addresses.remove(connection);
    if (address == null) {
      return;
    }
    held.computeIfPresent(
        address,
        (a, h) -> h.connections.decrementAndGet() <= 0 && h.requests.get() <= 0 ? null : h);
  }

  private int acquire(InetAddress address) {
    return held.compute(
            address,
            (a, x) -> {
              Held h = x == null ? new Held() : x;
              h.requests.incrementAndGet();
              return h;
            })
        .requests
        .get();
  }

  /** Requests before {@code next}: too many fields, too long a target, too many in progress. */
  Handler wrap(Handler next) {
    return new Handler.Abstract(Handler.AbstractContainer.InvocationType.BLOCKING) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        if (maxHeaderCount > 0 && request.getHeaders().size() > maxHeaderCount) {
          Response.writeError(request, response, callback, 431, "Too many header fields");
          return true;
        }
        if (maxUrlLength > 0 && targetLength(request.getHttpURI()) > maxUrlLength) {
          Response.writeError(request, response, callback, 414, "URI too long");
          return true;
        }
        InetAddress address = address(request.getConnectionMetaData().getRemoteSocketAddress());
        if (address == null || maxRequests <= 0) {
          return next.handle(request, response, callback);
        }
        if (acquire(address) > maxRequests) {
          release(address);
          refusedRequests.increment();
          slowDown(response, callback);
          return true;
        }
        boolean handled;
        try {
          handled = next.handle(request, response, Callback.from(callback, () -> release(address)));
        } catch (Exception | Error e) {
          release(address);
          throw e;
        }
        if (!handled) {
          release(address);
        }
        return handled;
      }
    };
  }

  private void release(InetAddress address) {
    held.computeIfPresent(
        address,
        (a, h) -> h.requests.decrementAndGet() <= 0 && h.connections.get() <= 0 ? null : h);
  }

  /** The request's target as the client sent it: raw path and query. */
  private static int targetLength(HttpURI uri) {
    String path = uri.getPath();
    String query = uri.getQuery();
    return (path == null ? 0 : path.length()) + (query == null ? 0 : query.length() + 1);
  }

  private void slowDown(Response response, Callback callback) {
    response.setStatus(503);
    response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    String message = "Too many requests from your address at once; please retry.";
    String body;
    if (s3) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/xml");
      body =
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>"
              + message
              + "</Message></Error>";
    } else {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      body = "{\"error\":\"SlowDown\",\"message\":\"" + message + "\"}";
    }
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }
}
