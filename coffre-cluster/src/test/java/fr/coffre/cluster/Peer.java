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
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * A peer node in the test's JVM: a real Jetty server on 127.0.0.1 (a free port) running a {@link
 * BlobServer} over one {@link FileBlobStore} volume named {@code v1}, as the server runs it.
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
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(blobs);
    server.start();
    base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
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
