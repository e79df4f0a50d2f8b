package fr.coffre.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * S3Proxy (a non-Coffre S3 server, org.gaul:s3proxy) in a process of its own, on its in-memory
 * backend: the foreign target of ExportImportIT. Its jar is copied by coffre-it's pom.
 */
final class S3ProxyProcess implements AutoCloseable {
  static final String ACCESS_KEY = "s3proxy-access";
  static final String SECRET_KEY = "s3proxy-secret-0123456789";

  private final Process process;
  private final int port;

  private S3ProxyProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static S3ProxyProcess start(Path workDir) throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("coffre.it.s3proxy", "target/s3proxy/s3proxy.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " missing: run the ITs through mvn verify");
    }
    int port = Ports.free();
    Path conf = workDir.resolve("s3proxy.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=transient",
            "jclouds.identity=unused",
            "jclouds.credential=unused",
            ""));
    Path log = workDir.resolve("s3proxy.log");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p =
        new ProcessBuilder(
                List.of(java, "-Xmx256m", "-jar", jar.toString(), "--properties", conf.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        throw new IllegalStateException("s3proxy exited: " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new S3ProxyProcess(p, port);
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("s3proxy did not start in 60 s: " + Files.readString(log));
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
