package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Slow and greedy clients against a real server, over raw sockets: a slowloris of 200 connections
 * dripping their headers a byte a second neither starves a normal client nor keeps its connections
 * past the header deadline; one address cannot hold more connections or requests than its caps; the
 * whole server holds at most its connection cap; oversized headers and targets get Jetty's 431 and
 * 414 (docs/security.md, "Connections and requests").
 */
class SlowClientsIT {

  /** One HTTP/1.1 exchange on a new connection: the status line (empty if the server closed). */
  private static String exchange(URI endpoint, String request) throws IOException {
    try (Socket s = connect(endpoint)) {
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return statusLine(s.getInputStream());
    }
  }

  private static Socket connect(URI endpoint) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 5000);
    s.setSoTimeout(30_000);
    return s;
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      line.append((char) c);
    }
    return line.toString().strip();
  }

  /** Reads a whole answer's head (status line and headers). */
  private static String head(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      head.append((char) c);
      if (head.toString().endsWith("\r\n\r\n")) {
        break;
      }
    }
    return head.toString();
  }

  private static String get(String target, String... headers) {
    StringBuilder r = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n");
    for (String h : headers) {
      r.append(h).append("\r\n");
    }
    return r.append("Connection: close\r\n\r\n").toString();
  }

  /** Whether the server closed the connection within {@code within} (read gives -1 or fails). */
  private static boolean closedWithin(Socket s, Duration within) throws IOException {
    s.setSoTimeout((int) within.toMillis());
    try {
      return s.getInputStream().read() == -1;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  @Test
  void slowloris_of200Connections_doesNotStarveANormalClient_andEndsAtTheHeaderDeadline()
      throws Exception {
    Duration deadline = Duration.ofSeconds(5);
    try (ServerProcess server =
        ServerProcess.startWithEnv(
            Map.of(
                "COFFRE_LIMITS_HEADER_TIMEOUT",
                deadline.toSeconds() + "s",
                // every test client is 127.0.0.1: let the slowloris through the per-address caps
                "COFFRE_LIMITS_MAX_CONNECTIONS_PER_ADDRESS",
                "1000"))) {
      URI endpoint = server.endpoint();
      int slow = 200;
      ConcurrentLinkedQueue<Long> heldMillis = new ConcurrentLinkedQueue<>();
      AtomicInteger dripped = new AtomicInteger();
      List<Socket> sockets = new ArrayList<>();
      long opened = System.nanoTime();
      ExecutorService drippers = Executors.newVirtualThreadPerTaskExecutor();
      for (int i = 0; i < slow; i++) {
        Socket s = connect(endpoint);
        sockets.add(s);
        drippers.submit(
            () -> {
              long start = System.nanoTime();
              try {
                OutputStream out = s.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                byte[] header = "X-Slow: ".concat("a".repeat(600)).getBytes(StandardCharsets.UTF_8);
                for (byte b : header) {
                  out.write(b); // one byte a second: Jetty's idle timeout alone would never fire
                  out.flush();
                  dripped.incrementAndGet();
                  Thread.sleep(1000);
                }
              } catch (IOException | InterruptedException e) {
                // closed by the server: the deadline
              }
              heldMillis.add((System.nanoTime() - start) / 1_000_000);
              return null;
            });
      }
      Thread.sleep(1500);

      // A normal client, while the 200 drip: each exchange on a new connection, timed.
      List<Long> latencies = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        long t0 = System.nanoTime();
        String status = exchange(endpoint, get("/"));
        latencies.add((System.nanoTime() - t0) / 1_000_000);
        assertThat(status).startsWith("HTTP/1.1 403"); // anonymous ListBuckets: answered
      }
      try (S3Client s3 = S3Clients.modern(endpoint)) {
        long t0 = System.nanoTime();
        s3.createBucket(b -> b.bucket("served"));
        s3.listBuckets();
        latencies.add((System.nanoTime() - t0) / 1_000_000);
      }
      long worst = latencies.stream().mapToLong(Long::longValue).max().orElseThrow();
      System.out.println(
          "SlowClientsIT: normal client while "
              + slow
              + " connections drip (ms): "
              + latencies
              + ", worst "
              + worst);
      // Served at once, not after the slow connections went: well within the deadline.
      assertThat(worst).isLessThan(deadline.toMillis());

      drippers.shutdown();
      assertThat(drippers.awaitTermination(deadline.toSeconds() + 20, TimeUnit.SECONDS))
          .as("every dripping connection closed by the server")
          .isTrue();
      long total = (System.nanoTime() - opened) / 1_000_000;
      long longest = heldMillis.stream().mapToLong(Long::longValue).max().orElseThrow();
      System.out.println(
          "SlowClientsIT: "
              + heldMillis.size()
              + " slow connections closed, longest held "
              + longest
              + " ms (deadline "
              + deadline.toMillis()
              + " ms), "
              + dripped.get()
              + " bytes dripped in all, "
              + total
              + " ms from the first open");
      assertThat(heldMillis).hasSize(slow);
      // Closed at the deadline (plus scheduling and one sleep), not after 600 bytes/seconds.
      assertThat(longest).isLessThan(deadline.toMillis() + 5000);
      for (Socket s : sockets) {
        s.close();
      }

      // The same connection, kept alive, is served again: the deadline is per request's headers.
      try (Socket s = connect(endpoint)) {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        String first = head(in);
        assertThat(first).startsWith("HTTP/1.1 403");
        int length =
            Integer.parseInt(
                first
                    .lines()
                    .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                    .findFirst()
                    .orElseThrow()
                    .substring("content-length:".length())
                    .strip());
        in.readNBytes(length);
        Thread.sleep(deadline.toMillis() + 1000); // idle between requests: the idle timeout's
        out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(head(in)).startsWith("HTTP/1.1 403");
      }
    }
  }

  @Test
  void oversizedHeadersAndTargets_getJettysAnswers_atTheDefaultLimits() throws Exception {
    try (ServerProcess server = ServerProcess.start()) {
      URI e = server.endpoint();
      // 64 KiB of headers: 431.
      assertThat(exchange(e, get("/", "X-Big: " + "a".repeat(70 * 1024))))
          .startsWith("HTTP/1.1 431");
      // 100 fields pass (the AWS SDK sends about 10), 101 do not.
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < 95; i++) {
        fields.add("X-F" + i + ": v");
      }
      assertThat(exchange(e, get("/", fields.toArray(String[]::new)))).startsWith("HTTP/1.1 403");
      for (int i = 95; i < 101; i++) {
        fields.add("X-F" + i + ": v");
      }
      assertThat(exchange(e, get("/", fields.toArray(String[]::new)))).startsWith("HTTP/1.1 431");
      // A target over 16 KiB: 414 (ours); over the whole header size: 414 (Jetty's parser).
      assertThat(exchange(e, get("/b/" + "k".repeat(15 * 1024)))).doesNotStartWith("HTTP/1.1 414");
      assertThat(exchange(e, get("/b/" + "k".repeat(17 * 1024)))).startsWith("HTTP/1.1 414");
      assertThat(exchange(e, get("/b/" + "k".repeat(70 * 1024)))).startsWith("HTTP/1.1 414");
      // The server is still fine.
      assertThat(exchange(e, get("/"))).startsWith("HTTP/1.1 403");
    }
  }

  @Test
  void oneAddress_isHeldToItsConnectionAndRequestCaps_andToTheConfiguredSizes() throws Exception {
    try (ServerProcess server =
            ServerProcess.startWithEnv(
                Map.of(
                    "COFFRE_LIMITS_MAX_CONNECTIONS_PER_ADDRESS", "10",
                    "COFFRE_LIMITS_MAX_REQUESTS_PER_ADDRESS", "2",
                    "COFFRE_LIMITS_MAX_HEADER_COUNT", "20",
                    "COFFRE_LIMITS_MAX_URL_LENGTH", "2KiB",
                    "COFFRE_LIMITS_MAX_HEADER_SIZE", "16KiB"));
        S3Presigner presigner = S3Clients.presigner(server.endpoint())) {
      URI e = server.endpoint();
      try (S3Client s3 = S3Clients.modern(e)) { // closed: its pooled connection would count
        s3.createBucket(b -> b.bucket("caps"));
      }

      // Sizes as configured.
      assertThat(exchange(e, get("/b/" + "k".repeat(2100)))).startsWith("HTTP/1.1 414");
      assertThat(exchange(e, get("/b/" + "k".repeat(1900)))).doesNotStartWith("HTTP/1.1 414");
      assertThat(exchange(e, get("/", "X-Big: " + "a".repeat(17 * 1024))))
          .startsWith("HTTP/1.1 431");
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < 21; i++) {
        fields.add("X-F" + i + ": v");
      }
      assertThat(exchange(e, get("/", fields.toArray(String[]::new)))).startsWith("HTTP/1.1 431");

      // Requests: two uploads in progress (their bodies half sent) hold the address's two.
      URI put =
          URI.create(
              presigner
                  .presignPutObject(
                      p ->
                          p.signatureDuration(Duration.ofMinutes(5))
                              .putObjectRequest(o -> o.bucket("caps").key("slow")))
                  .url()
                  .toString());
      String target = put.getRawPath() + "?" + put.getRawQuery();
      List<Socket> uploads = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Socket s = connect(e);
        s.getOutputStream()
            .write(
                ("PUT "
                        + target
                        + " HTTP/1.1\r\nHost: "
                        + put.getAuthority()
                        + "\r\nContent-Length: 1000\r\n\r\n"
                        + "x".repeat(10))
                    .getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        uploads.add(s);
      }
      Thread.sleep(500);
      String refused;
      try (Socket s = connect(e)) {
        s.getOutputStream().write(get("/").getBytes(StandardCharsets.UTF_8));
        refused = head(s.getInputStream());
      }
      assertThat(refused).startsWith("HTTP/1.1 503");
      assertThat(refused.toLowerCase(java.util.Locale.ROOT)).contains("retry-after: 1");
      // One upload finishes: the next request is served.
      uploads.get(0).getOutputStream().write("x".repeat(990).getBytes(StandardCharsets.UTF_8));
      assertThat(statusLine(uploads.get(0).getInputStream())).startsWith("HTTP/1.1 200");
      assertThat(exchange(e, get("/"))).startsWith("HTTP/1.1 403");
      for (Socket s : uploads) {
        s.close();
      }

      // Connections: ten held, the eleventh closed at once; one of the ten closes, a new one is
      // served.
      Thread.sleep(500);
      List<Socket> held = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        held.add(connect(e));
      }
      Thread.sleep(500);
      try (Socket eleventh = connect(e)) {
        assertThat(closedWithin(eleventh, Duration.ofSeconds(3))).isTrue();
      }
      held.remove(0).close();
      Thread.sleep(500);
      assertThat(exchange(e, get("/"))).startsWith("HTTP/1.1 403");
      for (Socket s : held) {
        s.close();
      }
      Thread.sleep(500);
      // Other listeners count their own: the ops listener answers meanwhile.
      assertThat(exchange(server.opsEndpoint(), get("/health/live"))).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void theServer_holdsAtMostItsConnectionCap_andAcceptsAgainWhenOneCloses() throws Exception {
    try (ServerProcess server =
        ServerProcess.startWithEnv(
            Map.of(
                "COFFRE_LIMITS_MAX_CONNECTIONS", "20",
                "COFFRE_LIMITS_MAX_CONNECTIONS_PER_ADDRESS", "0"))) {
      URI e = server.endpoint();
      Thread.sleep(500); // the start-up probe's connection is gone
      List<Socket> held = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Socket s = connect(e);
        held.add(s);
      }
      Thread.sleep(500);
      try (Socket waiting = connect(e)) { // the kernel queues it; Coffre does not take it
        waiting.getOutputStream().write(get("/").getBytes(StandardCharsets.UTF_8));
        waiting.getOutputStream().flush();
        waiting.setSoTimeout(2000);
        boolean answered;
        try {
          answered = waiting.getInputStream().read() != -1;
        } catch (java.net.SocketTimeoutException timeout) {
          answered = false;
        }
        assertThat(answered).as("a connection over the cap waits").isFalse();
        held.remove(0).close();
        waiting.setSoTimeout(10_000);
        assertThat(statusLine(waiting.getInputStream())).startsWith("HTTP/1.1 403");
      }
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
