package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A network partition of one node, for real: three nodes of {@code scripts/local-cluster}, each on
 * a loopback address of its own ({@code LOCAL_CLUSTER_ADDRESSES=127.0.77}: node I listens on
 * 127.0.77.I and calls its peers from it, {@code cluster.source-address}); iptables rules drop
 * every packet between node 3's address and its peers', while all three still reach PostgreSQL.
 * Node 3 then refuses every write (two copies on two nodes) with a {@code 503}, the placement's
 * reason once it has seen its peers unreachable, and never commits a single copy; nodes 1 and 2
 * keep accepting writes (two copies between them). Once the rules are removed, node 3 writes again
 * and every object has its two copies. Skipped, with the reason, where iptables cannot be used (not
 * root, no iptables package).
 */
class NetworkPartitionIT {
  private static final String BUCKET = "partition";
  private static final String PREFIX = "127.0.77";

  /** Tags this JVM's rules, so that only they are ever removed. */
  private static final String TAG = "coffre-it-partition-" + ProcessHandle.current().pid();

  private static final List<List<String>> rules = new ArrayList<>();
  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/lib/postgresql")))
        .as("the postgresql package is installed")
        .isTrue();
    String why = iptablesUnusable();
    assumeThat(why).as("iptables is usable here (as root, package iptables): %s", why).isNull();
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(PREFIX + ".3"), 0));
    }
    cluster = LocalCluster.start("partition", 3, Map.of("LOCAL_CLUSTER_ADDRESSES", PREFIX));
    assertThat(cluster.env.get("NODE3_URL")).startsWith("http://" + PREFIX + ".3:");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    try {
      heal();
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  /** Why iptables cannot be used here, or null when it can. */
  private static String iptablesUnusable() {
    try {
      Process p =
          new ProcessBuilder("iptables", "-w", "5", "-L", "INPUT", "-n")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "iptables -L did not answer in 30 s";
      }
      return p.exitValue() == 0 ? null : "iptables -L INPUT failed: " + out.strip();
    } catch (IOException e) {
      return "cannot run iptables: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static void iptables(String action, List<String> rule) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "5", action, "INPUT"));
    cmd.addAll(rule);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  /** Drops every packet between node 3's address and its peers', both ways. */
  private static void partitionNode3() throws Exception {
    String isolated = cluster.env.get("NODE3_HOST");
    for (int peer = 1; peer <= 2; peer++) {
      String other = cluster.env.get("NODE" + peer + "_HOST");
      for (String[] way : new String[][] {{isolated, other}, {other, isolated}}) {
        List<String> rule =
            List.of("-s", way[0], "-d", way[1], "-m", "comment", "--comment", TAG, "-j", "DROP");
        synchronized (rules) {
          iptables("-I", rule);
          rules.add(rule);
        }
      }
    }
  }

  /** Removes the rules this test added (and only them). */
  private static void heal() throws Exception {
    synchronized (rules) {
      while (!rules.isEmpty()) {
        iptables("-D", rules.getLast());
        rules.removeLast();
      }
    }
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static byte[] content(int seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** What a node answered to the writes of one phase. */
  private record Outcomes(
      Map<String, String> acknowledged,
      Map<String, Integer> refusals,
      List<String> messages,
      Set<String> attempted) {
    Outcomes() {
      this(
          new ConcurrentHashMap<>(),
          new ConcurrentHashMap<>(),
          java.util.Collections.synchronizedList(new ArrayList<>()),
          ConcurrentHashMap.newKeySet());
    }
  }

  /**
   * Writes through node {@code i} until {@code stop}; the SDK's retries off. A write under way when
   * the packets stop waits for its peer up to the internal API's 30 s without progress, then gets
   * its 503: the client waits 60 s for an answer (as aws-cli and boto3 do), not the Java SDK's 30.
   */
  private static Outcomes write(int i, String prefix, AtomicBoolean stop, Outcomes out)
      throws Exception {
    try (S3Client s = cluster.s3(i, false, Duration.ofSeconds(60))) {
      for (int k = 0; !stop.get(); k++) {
        String key = prefix + "/" + k;
        byte[] body = content(prefix.hashCode() * 31 + k, 700 + (k % 4) * 5000);
        out.attempted().add(key);
        try {
          s.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
          out.acknowledged().put(key, sha256(body));
        } catch (S3Exception e) {
          out.refusals()
              .merge(e.statusCode() + " " + e.awsErrorDetails().errorCode(), 1, Integer::sum);
          out.messages().add(e.awsErrorDetails().errorMessage());
          Thread.sleep(200);
        } catch (RuntimeException e) {
          out.refusals().merge("no S3 answer: " + e, 1, Integer::sum);
          Thread.sleep(200);
        }
      }
    }
    return out;
  }

  @Test
  void isolatedNode_refusesWritesItCannotPlace_othersGoOn_thenAllConverges() throws Exception {
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    try (S3Client s = cluster.s3(1, false)) {
      s.createBucket(b -> b.bucket(BUCKET));
    }
    for (int i = 1; i <= 3; i++) {
      try (S3Client s = cluster.s3(i, false)) {
        for (int k = 0; k < 4; k++) {
          byte[] body = content(i * 100 + k, 3000);
          String key = "before/" + i + "/" + k;
          s.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
          acknowledged.put(key, sha256(body));
        }
      }
    }

    Outcomes isolated = new Outcomes();
    Outcomes majority = new Outcomes();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      partitionNode3();
      List<Future<Outcomes>> writers = new ArrayList<>();
      writers.add(pool.submit(() -> write(3, "isolated/a", stop, isolated)));
      writers.add(pool.submit(() -> write(3, "isolated/b", stop, isolated)));
      writers.add(pool.submit(() -> write(1, "majority/1", stop, majority)));
      writers.add(pool.submit(() -> write(2, "majority/2", stop, majority)));
      // Calls under way when the packets stop wait out their timeouts (2 s to connect, 30 s for
      // an answer on a connection already open); by then each side has marked the other down.
      Thread.sleep(40_000);
      stop.set(true);
      for (Future<Outcomes> w : writers) {
        w.get(60, TimeUnit.SECONDS);
      }
      assertThat(isolated.acknowledged()).as("node 3 acknowledged nothing").isEmpty();
      assertThat(isolated.refusals()).isNotEmpty();
      assertThat(isolated.refusals().keySet())
          .allMatch(k -> k.startsWith("503 "), "503 only: " + isolated.refusals());
      assertThat(majority.acknowledged().size())
          .as("nodes 1 and 2 kept writing (refusals: %s)", majority.refusals())
          .isGreaterThanOrEqualTo(5);
      assertThat(majority.refusals().keySet())
          .allMatch(k -> k.startsWith("503 "), "503 only: " + majority.refusals());
      acknowledged.putAll(majority.acknowledged());

      // Settled: node 3 refuses each write with the placement's reason (its peers' volumes are
      // offline for it); nodes 1 and 2 accept every one.
      try (S3Client s3 = cluster.s3(3, false)) {
        for (int k = 0; k < 5; k++) {
          String key = "isolated/settled/" + k;
          isolated.attempted().add(key);
          try {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("lone"));
            throw new AssertionError("node 3 acknowledged " + key + " without its peers");
          } catch (S3Exception e) {
            assertThat(e.statusCode()).isEqualTo(503);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PlacementNotSatisfiable");
            assertThat(e.awsErrorDetails().errorMessage()).contains("offline");
          }
        }
      }
      for (int i = 1; i <= 2; i++) {
        try (S3Client s = cluster.s3(i, false)) {
          for (int k = 0; k < 5; k++) {
            String key = "majority/settled/" + i + "/" + k;
            byte[] body = content(i * 1000 + k, 2000);
            s.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
            acknowledged.put(key, sha256(body));
          }
        }
      }
    } finally {
      stop.set(true);
      heal();
      pool.shutdownNow();
      pool.awaitTermination(60, TimeUnit.SECONDS);
    }

    // Healed: node 3 writes again by itself (its peers answer its probes again).
    Instant deadline = Instant.now().plus(Duration.ofSeconds(45));
    boolean written = false;
    try (S3Client s = cluster.s3(3, false)) {
      while (!written && Instant.now().isBefore(deadline)) {
        try {
          s.putObject(b -> b.bucket(BUCKET).key("after/3"), RequestBody.fromString("back"));
          written = true;
        } catch (S3Exception e) {
          Thread.sleep(500);
        }
      }
    }
    assertThat(written).as("node 3 writes again once the partition is over").isTrue();
    acknowledged.put("after/3", sha256("back".getBytes(StandardCharsets.UTF_8)));

    // Converged: no object has fewer than its two copies; every acknowledged one reads back
    // intact through node 3; nothing node 3 refused exists anywhere.
    // (node 1 asks node 3's volume once it counts node 3 up again: within a heartbeat or two)
    Instant compliantBy = Instant.now().plus(Duration.ofSeconds(20));
    boolean compliant = residencyCompliant();
    while (!compliant && Instant.now().isBefore(compliantBy)) {
      Thread.sleep(1000);
      compliant = residencyCompliant();
    }
    assertThat(compliant).as("every object has its two copies").isTrue();
    try (S3Client s = cluster.s3(3, false)) {
      for (Map.Entry<String, String> e : acknowledged.entrySet()) {
        byte[] got = s.getObjectAsBytes(b -> b.bucket(BUCKET).key(e.getKey())).asByteArray();
        assertThat(sha256(got)).as("node 3 reads %s", e.getKey()).isEqualTo(e.getValue());
      }
      List<String> listed = new ArrayList<>();
      s.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("isolated/"))
          .contents()
          .forEach(o -> listed.add(o.key()));
      assertThat(listed).as("writes node 3 refused").isEmpty();
    }
  }

  private static boolean residencyCompliant() throws Exception {
    HttpResponse<String> r = cluster.admin(1, "GET", "/buckets/" + BUCKET + "/residency", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode json = new ObjectMapper().readTree(r.body());
    JsonNode compliant = json.findValue("compliant");
    assertThat(compliant).as(r.body()).isNotNull();
    return json.path("report").path("compliant").asBoolean(compliant.asBoolean());
  }
}
