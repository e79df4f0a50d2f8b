package fr.coffre.cluster;

import fr.coffre.storage.BlobStore;
import fr.coffre.storage.FileBlobStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * A peer node in the test's JVM: a real Jetty server on 127.0.0.1 (a free port) running a {@link
 * BlobServer} over one {@link FileBlobStore} volume named {@code v1}, as the server runs it; over
 * HTTPS with the refused handshakes audited when given a TLS context.
 */
final class Peer implements AutoCloseable {
  static final String VOLUME = "v1";
  static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test".getBytes();

  final Path volumeDir;
  final FileBlobStore volume;
  final BlobServer blobs;
  final List<Refusal> refusals = new CopyOnWriteArrayList<>();
  private final Server server;
  private final URI base;

  Peer(Path dir) throws Exception {
    this(dir, Clock.systemUTC(), BlobServer.UPLOAD_TIMEOUT);
  }

  Peer(Path dir, Clock clock, Duration uploadTimeout) throws Exception {
    this(dir, clock, uploadTimeout, null);
  }

  Peer(Path dir, SslContextFactory.Server tls) throws Exception {
    this(dir, Clock.systemUTC(), BlobServer.UPLOAD_TIMEOUT, tls);
  }

  private Peer(
      Path dir, Clock clock, Duration uploadTimeout, SslContextFactory.@Nullable Server tls)
      throws Exception {
    volumeDir = dir.resolve(VOLUME);
    volume = new FileBlobStore(volumeDir);
    blobs =
        new BlobServer(
            "node-b",
            Map.<String, BlobStore>of(VOLUME, volume),
            new ClusterAuth(SECRET, clock),
            refusals::add,
            clock,
            uploadTimeout);
    server = new Server(new VirtualThreadPool());
    ServerConnector connector =
        tls == null
            ? new ServerConnector(server)
            : new ServerConnector(
                server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory());
    if (tls != null) {
      connector.addBean(blobs.handshakes());
    }
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(blobs);
    server.start();
    base =
        URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + connector.getLocalPort());
  }

  URI base() {
    return base;
  }

  /** How many uncommitted writes the volume holds (files in its tmp directory). */
  long temporaries() throws IOException {
    try (Stream<Path> tmp = Files.list(volumeDir.resolve("tmp"))) {
      return tmp.count();
    }
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
