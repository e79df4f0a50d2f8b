package fr.coffre.cluster;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client that a node shares among all its {@link RemoteBlobStore}s: HTTP/1.1 (one streamed
 * body per connection, no head-of-line blocking between blobs), a connect timeout short enough that
 * a dead peer is noticed within a request, no redirects (a peer never sends elsewhere), and named
 * virtual threads for its callbacks.
 */
public final class ClusterHttp {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterHttp.class);

  /** How long a connection to a peer may take before the peer counts as unreachable. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private ClusterHttp() {}

  /** A new client; make one per node and share it, it holds the connection pool. */
  public static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(
            Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual()
                    .name("cluster-http-", 0)
                    .uncaughtExceptionHandler((t, e) -> LOG.error("{} died", t.getName(), e))
                    .factory()))
        .build();
  }
}
