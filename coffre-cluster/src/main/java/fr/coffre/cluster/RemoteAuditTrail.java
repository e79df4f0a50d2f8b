package fr.coffre.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A peer's audit chains, read through its internal API ({@code GET /internal/v1/audit/CHAIN},
 * signed with the cluster secret like every internal call): the peer's own export of a chain,
 * streamed, for a cluster export made on this node. A peer that is down, unknown, refuses or stalls
 * becomes an {@link IOException} that says so, never a hang: every wait is bounded by the read
 * timeout.
 */
public final class RemoteAuditTrail {
  private final String node;
  private final Supplier<@Nullable URI> peer;
  private final String localNode;
  private final ClusterAuth auth;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * @param node the peer's name
   * @param peer the peer's current base address, or null when it is down or unknown
   * @param localNode this node's name, which the peer authenticates
   * @param http the node's shared client ({@link ClusterHttp#client()})
   */
  public RemoteAuditTrail(
      String node,
      Supplier<@Nullable URI> peer,
      String localNode,
      ClusterAuth auth,
      HttpClient http) {
    this(node, peer, localNode, auth, http, RemoteBlobStore.READ_TIMEOUT);
  }

  RemoteAuditTrail(
      String node,
      Supplier<@Nullable URI> peer,
      String localNode,
      ClusterAuth auth,
      HttpClient http,
      Duration timeout) {
    this.node = node;
    this.peer = peer;
    this.localNode = localNode;
    this.auth = auth;
    this.http = http;
    this.timeout = timeout;
  }

  public String node() {
    return node;
  }

  /** Copies the peer's export of {@code chain} into {@code out}. */
  public void export(String chain, OutputStream out) throws IOException {
    URI base = peer.get();
    if (base == null) {
      throw new ConnectException(
          "node " + node + " is down (it has not reported to the cluster lately) or unknown");
    }
    String path = Routes.audit(chain);
    String what =
        "audit export of chain " + chain + " from node " + node + " at " + base.getAuthority();
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
    auth.sign("GET", path, localNode).forEach(b::header);
    CompletableFuture<HttpResponse<ResponseStream>> answer =
        http.sendAsync(b.build(), info -> new ResponseStream(timeout, what));
    HttpResponse<ResponseStream> r;
    try {
      r = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new HttpTimeoutException(what + ": no answer within " + timeout);
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + ": interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
        // The JDK's ConnectException for a refused connection has no message.
        throw new ConnectException(
            what + ": " + (cause.getMessage() == null ? "connection refused" : cause.getMessage()));
      }
      throw new IOException(what + " failed: " + cause, cause);
    }
    try (ResponseStream body = r.body()) {
      if (r.statusCode() != 200) {
        String detail = body.prefix(200);
        throw new IOException(
            what
                + ": the peer answered "
                + r.statusCode()
                + (r.statusCode() == 401
                    ? " (check that both nodes share the cluster secret and that their clocks agree)"
                    : detail.isEmpty() ? "" : ": " + detail.lines().findFirst().orElse("")));
      }
      try (InputStream in = body.asInputStream()) {
        in.transferTo(out);
      }
    }
  }
}
