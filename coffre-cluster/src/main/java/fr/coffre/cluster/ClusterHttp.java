package fr.coffre.cluster;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client that a node shares among all its {@link RemoteBlobStore}s: HTTP/1.1 (one streamed
 * body per connection, no head-of-line blocking between blobs), a connect timeout short enough that
 * a dead peer is noticed within a request, no redirects (a peer never sends elsewhere), and named
 * virtual threads for its callbacks.
 *
 * <p>Over mutual TLS ({@link #client(SSLContext)}) the context decides who is trusted and what this
 * node presents; the JDK client checks that the peer's certificate names the host or IP address it
 * was reached at (endpoint identification, on unless the JDK's own {@code
 * jdk.internal.httpclient.disableHostnameVerification} property is set), so a node certificate
 * needs a subject alternative name for the address peers use, an IP SAN when that is an address.
 */
public final class ClusterHttp {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterHttp.class);

  /** How long a connection to a peer may take before the peer counts as unreachable. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** The protocols spoken to peers: both ends are Coffre, so TLS 1.3 alone would do; 1.2 stays. */
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private ClusterHttp() {}

  /** A new plain-HTTP client; make one per node and share it, it holds the connection pool. */
  public static HttpClient client() {
    return client((InetAddress) null);
  }

  /**
   * A new plain-HTTP client whose connections leave from {@code source} (this node's {@code
   * cluster.source-address}; null: the system's choice), so that peers and firewalls see this
   * node's calls come from the address they know it by.
   */
  public static HttpClient client(@Nullable InetAddress source) {
    return builder(source).build();
  }

  /**
   * A new HTTPS client that presents this node's certificate and trusts what {@code tls} trusts
   * (the cluster CA); make one per node and share it.
   */
  public static HttpClient client(SSLContext tls) {
    return client(tls, null);
  }

  /** As {@link #client(SSLContext)}, its connections leaving from {@code source} if not null. */
  public static HttpClient client(SSLContext tls, @Nullable InetAddress source) {
    SSLParameters parameters = tls.getDefaultSSLParameters();
    parameters.setProtocols(PROTOCOLS);
    return builder(source).sslContext(tls).sslParameters(parameters).build();
  }

  private static HttpClient.Builder builder(@Nullable InetAddress source) {
    HttpClient.Builder b = HttpClient.newBuilder();
    if (source != null) {
      b.localAddress(source);
    }
    return b.version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(
            Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual()
                    .name("cluster-http-", 0)
                    .uncaughtExceptionHandler((t, e) -> LOG.error("{} died", t.getName(), e))
                    .factory()));
  }
}
