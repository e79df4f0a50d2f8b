package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A cluster of three nodes started by {@code scripts/local-cluster} (a real PostgreSQL, three
 * server processes, each with its own data directory, site and volume; buckets keep two copies on
 * two distinct nodes), driven with the AWS SDK: copies land on two nodes, every node reads every
 * object, a node killed with {@code kill -9} under eight uploaders loses no acknowledged object,
 * writes go on without it, it comes back; the internal API refuses callers without the cluster
 * secret; a second process with a running node's name is refused at start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final String BUCKET = "cluster-bucket";
  private static LocalCluster cluster;
  private static Path dir;
  private static Map<String, String> env;
  private static final Map<String, String> acknowledged = new ConcurrentHashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    assumeThat(Files.isDirectory(Path.of("/usr/lib/postgresql")))
        .as("the postgresql package is installed")
        .isTrue();
    cluster = LocalCluster.start("cluster", 3);
    dir = cluster.dir;
    env = cluster.env;
    assertThat(env).containsKeys("NODES", "NODE1_URL", "NODE3_PID", "PG_URL", "AK", "SK");
    assertThat(env.get("NODES")).isEqualTo("3");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A client of node {@code i} that does not retry: each request's own outcome is seen. */
  private static S3Client node(int i) {
    return cluster.s3(i, false);
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static byte[] content(int seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static long blobsOn(int i) throws IOException {
    return cluster.blobsOn(i);
  }

  @Test
  @Order(1)
  void everyObject_hasTwoCopiesOnTwoNodes_andReadsFromEveryNode() throws Exception {
    try (S3Client s1 = node(1)) {
      s1.createBucket(b -> b.bucket(BUCKET));
    }
    long before = blobsOn(1) + blobsOn(2) + blobsOn(3);
    for (int k = 0; k < 12; k++) {
      int via = 1 + k % 3;
      byte[] body = content(k, 1000 + k * 4096);
      try (S3Client s = node(via)) {
        int n = k;
        s.putObject(b -> b.bucket(BUCKET).key("first/" + n), RequestBody.fromBytes(body));
      }
      acknowledged.put("first/" + k, sha256(body));
    }
    assertThat(blobsOn(1) + blobsOn(2) + blobsOn(3) - before).isEqualTo(24);
    assertThat(List.of(blobsOn(1), blobsOn(2), blobsOn(3))).allMatch(n -> n <= 12);
    for (int i = 1; i <= 3; i++) {
      try (S3Client s = node(i)) {
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
          byte[] got = s.getObjectAsBytes(b -> b.bucket(BUCKET).key(e.getKey())).asByteArray();
          assertThat(sha256(got)).as("node %d reads %s", i, e.getKey()).isEqualTo(e.getValue());
        }
      }
    }
  }

  @Test
  @Order(2)
  void internalApi_refusesCallersWithoutTheClusterSecret() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://" + env.get("NODE1_CLUSTER");
    for (String path : List.of("/internal/v1/health", "/internal/v1/volumes/v1/blobs")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(401);
    }
    HttpResponse<String> forged =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/internal/v1/volumes/v1/blobs"))
                .header("X-Coffre-Node", "node-2")
                .header("X-Coffre-Date", Long.toString(System.currentTimeMillis()))
                .header("X-Coffre-Nonce", "00112233445566778899aabbccddeeff")
                .header("X-Coffre-Signature", "00".repeat(32))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.body()).doesNotContain("blob");
  }

  private static HttpResponse<String> admin(String method, String path, String json)
      throws Exception {
    String token = Files.readString(Path.of(env.get("NODE1_DATA")).resolve("admin-token")).strip();
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(env.get("NODE1_ADMIN_URL") + "/admin/v1" + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(
                    method,
                    json == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static S3Client nodeWithKeys(int i, String access, String secret) {
    return S3Client.builder()
        .endpointOverride(URI.create(env.get("NODE" + i + "_URL")))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)))
        .forcePathStyle(true)
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
        .build();
  }

  @Test
  @Order(3)
  void anAccessKeyRevokedOnOneNode_stopsWorkingOnTheOthersWithinSeconds() throws Exception {
    assertThat(admin("POST", "/tenants/default/users", "{\"name\": \"carol\"}").statusCode())
        .isEqualTo(201);
    assertThat(
            admin(
                    "PUT",
                    "/tenants/default/users/carol/policies/all",
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"s3:*\",\"Resource\":\"*\"}]}")
                .statusCode())
        .isBetween(200, 204);
    HttpResponse<String> key = admin("POST", "/tenants/default/users/carol/access-keys", "{}");
    assertThat(key.statusCode()).isEqualTo(201);
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(key.body());
    String access = json.get("accessKeyId").asText();
    String secret = json.get("secretAccessKey").asText();
    try (S3Client s2 = nodeWithKeys(2, access, secret)) {
      s2.listObjectsV2(b -> b.bucket(BUCKET)); // node 2 now caches the key
      assertThat(admin("POST", "/access-keys/" + access + "/deactivate", null).statusCode())
          .isBetween(200, 204);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
      boolean refused = false;
      while (!refused && Instant.now().isBefore(deadline)) {
        try {
          s2.listObjectsV2(b -> b.bucket(BUCKET));
          Thread.sleep(250);
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
          refused = e.statusCode() == 403;
        }
      }
      assertThat(refused).as("node 2 refuses the key deactivated through node 1").isTrue();
    }
  }

  @Test
  @Order(4)
  void databaseStoppedUnderLoad_cleanErrors_thenServiceResumesByItself() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> writers = new ArrayList<>();
    for (int u = 0; u < 4; u++) {
      int id = u;
      writers.add(
          pool.submit(
              () -> {
                try (S3Client s = node(1 + id % 2)) {
                  for (int k = 0; !stop.get(); k++) {
                    String key = "outage/" + id + "/" + k;
                    byte[] body = content(id * 7_000 + k, 2048);
                    try {
                      s.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
                      acknowledged.put(key, sha256(body));
                    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                      statuses.merge(e.statusCode(), 1, Integer::sum);
                      Thread.sleep(100);
                    } catch (RuntimeException e) {
                      statuses.merge(-1, 1, Integer::sum);
                    }
                  }
                }
                return null;
              }));
    }
    Thread.sleep(2000);
    cluster.run("pg-stop");
    Thread.sleep(10_000);
    cluster.run("pg-start");
    Thread.sleep(2000);
    // Service resumes by itself: a write through each node succeeds within 30 s.
    for (int i = 1; i <= 2; i++) {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      boolean written = false;
      try (S3Client s = node(i)) {
        while (!written && Instant.now().isBefore(deadline)) {
          try {
            s.putObject(b -> b.bucket(BUCKET).key("after-outage"), RequestBody.fromString("back"));
            written = true;
          } catch (RuntimeException e) {
            Thread.sleep(500);
          }
        }
      }
      assertThat(written).as("node %d writes again after the outage", i).isTrue();
    }
    stop.set(true);
    for (Future<?> w : writers) {
      w.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    acknowledged.put("after-outage", sha256("back".getBytes(StandardCharsets.UTF_8)));
    // Refusals during the outage were clean S3 errors (503), never a dropped connection.
    assertThat(statuses).isNotEmpty().containsOnlyKeys(503);
    try (S3Client s = node(3)) {
      for (Map.Entry<String, String> e : acknowledged.entrySet()) {
        byte[] got = s.getObjectAsBytes(b -> b.bucket(BUCKET).key(e.getKey())).asByteArray();
        assertThat(sha256(got)).as("node 3 reads %s", e.getKey()).isEqualTo(e.getValue());
      }
    }
  }

  @Test
  @Order(5)
  void aSecondProcessWithARunningNodesName_isRefusedAtStart() throws Exception {
    Path config = Path.of(env.get("NODE1_CONFIG"));
    Path twin = dir.resolve("twin");
    String yaml =
        Files.readString(config)
            .replaceAll("(?m)^data: .*$", "data: " + twin)
            .replaceAll("(?m)^address: .*$", "address: 127.0.0.1:0")
            .replaceAll("(?m)^ops-address: .*$", "ops-address: \"off\"")
            .replaceAll("(?m)^admin-address: .*$", "admin-address: \"off\"")
            .replaceAll("(?m)^  address: .*$", "  address: 127.0.0.1:0")
            .replace(env.get("NODE1_DATA") + "/v1", twin + "/v1");
    Path twinConfig = dir.resolve("twin.yaml");
    Files.writeString(twinConfig, yaml);
    Process p =
        new ProcessBuilder(
                LocalCluster.repo().resolve("coffre").toString(),
                "server",
                "--config",
                twinConfig.toString())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isNotZero();
    assertThat(out).contains("node 'node-1' is already running");
  }

  @Test
  @Order(6)
  void nodeKilledUnderEightUploaders_losesNoAcknowledgedObject_andComesBack() throws Exception {
    long pid3 = Long.parseLong(env.get("NODE3_PID"));
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> uploaders = new ArrayList<>();
    for (int u = 0; u < 8; u++) {
      int id = u;
      uploaders.add(
          pool.submit(
              () -> {
                int ok = 0;
                try (S3Client s = node(1 + id % 2)) {
                  // Bounded, so that reading everything back stays quick; the kill comes while
                  // they are still writing.
                  for (int k = 0; !stop.get() && ok < 80; k++) {
                    String key = "load/" + id + "/" + k;
                    byte[] body = content(id * 100_000 + k, 512 + (k % 7) * 9000);
                    try {
                      s.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
                      acknowledged.put(key, sha256(body));
                      ok++;
                    } catch (RuntimeException e) {
                      // Not acknowledged: the client would retry; nothing is promised.
                    }
                  }
                }
                return ok;
              }));
    }
    Thread.sleep(3000);
    new ProcessBuilder("kill", "-9", Long.toString(pid3)).start().waitFor();
    Thread.sleep(12_000);
    stop.set(true);
    int ok = 0;
    for (Future<Integer> f : uploaders) {
      ok += f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(ok).isGreaterThan(20);

    // Writes go on without node 3 once it is seen down (two nodes still hold two copies).
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    boolean written = false;
    try (S3Client s = node(1)) {
      while (!written && Instant.now().isBefore(deadline)) {
        try {
          s.putObject(b -> b.bucket(BUCKET).key("after-kill"), RequestBody.fromString("still"));
          written = true;
        } catch (RuntimeException e) {
          Thread.sleep(500);
        }
      }
    }
    assertThat(written).as("a write succeeds on the two surviving nodes").isTrue();
    acknowledged.put("after-kill", sha256("still".getBytes(StandardCharsets.UTF_8)));

    // Every acknowledged object reads back intact through each survivor.
    for (int i = 1; i <= 2; i++) {
      try (S3Client s = node(i)) {
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
          byte[] got = s.getObjectAsBytes(b -> b.bucket(BUCKET).key(e.getKey())).asByteArray();
          assertThat(sha256(got)).as("node %d reads %s", i, e.getKey()).isEqualTo(e.getValue());
        }
        // Nothing partial is listed: every listed key is one that was acknowledged or whose
        // write was cut by the kill and committed anyway; each reads back whole.
        for (var o : s.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("load/")).contents()) {
          byte[] got = s.getObjectAsBytes(b -> b.bucket(BUCKET).key(o.key())).asByteArray();
          assertThat((long) got.length).isEqualTo(o.size());
        }
      }
    }

    // While node 3 is down, a scrub reports its copies missing but does not recreate them
    // elsewhere: it may come back with them.
    long beforeScrub = blobsOn(1) + blobsOn(2);
    HttpResponse<String> waiting = admin("POST", "/scrub", null);
    assertThat(waiting.statusCode()).as(waiting.body()).isEqualTo(200);
    assertThat(waiting.body()).contains("may come back");
    assertThat(blobsOn(1) + blobsOn(2)).isEqualTo(beforeScrub);

    // Node 3's disk is lost: it comes back empty; a scrub recreates the missing copies.
    deleteTree(dir.resolve("node3").resolve("v3"));
    Path config = Path.of(env.get("NODE3_CONFIG"));
    ProcessBuilder restart =
        new ProcessBuilder(
                LocalCluster.repo().resolve("coffre").toString(),
                "server",
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node3.log").toFile()));
    restart.environment().put("COFFRE_ROOT_ACCESS_KEY", env.get("AK"));
    restart.environment().put("COFFRE_ROOT_SECRET_KEY", env.get("SK"));
    Process node3 = restart.start();
    try {
      awaitUp(env.get("NODE3_URL"), node3);
      awaitAlive("node-3");
      assertThat(residencyCompliant()).as("copies on node 3 are gone before the scrub").isFalse();
      HttpResponse<String> scrub = admin("POST", "/scrub", null);
      assertThat(scrub.statusCode()).as(scrub.body()).isEqualTo(200);
      assertThat(residencyCompliant()).as("every object has its two copies again").isTrue();
      try (S3Client s = node(3)) {
        int n = 0;
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
          if (n++ % 4 != 0) {
            continue; // a sample: every object was read through both survivors above
          }
          byte[] got = s.getObjectAsBytes(b -> b.bucket(BUCKET).key(e.getKey())).asByteArray();
          assertThat(sha256(got)).as("node 3 reads %s", e.getKey()).isEqualTo(e.getValue());
        }
      }
      assertThat(blobsOn(3)).as("node 3 holds copies again").isPositive();
    } finally {
      node3.destroy();
      node3.waitFor(60, TimeUnit.SECONDS);
    }
  }

  private static boolean residencyCompliant() throws Exception {
    HttpResponse<String> r = admin("GET", "/buckets/" + BUCKET + "/residency", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
    var compliant = json.findValue("compliant");
    assertThat(compliant).as(r.body()).isNotNull();
    return json.path("report").path("compliant").asBoolean(compliant.asBoolean());
  }

  /** Waits until node 1 sees {@code node} alive in {@code GET /admin/v1/nodes}. */
  private static void awaitAlive(String node) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      var nodes =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(admin("GET", "/nodes", null).body())
              .path("nodes");
      for (var n : nodes) {
        if (n.path("name").asText().equals(node) && n.path("alive").asBoolean()) {
          Thread.sleep(ClusterNodeTiming.HEARTBEAT_MS * 2); // node 1 refreshes its view too
          return;
        }
      }
      Thread.sleep(300);
    }
    throw new AssertionError(node + " is not seen alive");
  }

  /** The heartbeat of ClusterNode, as the tests wait for it. */
  private static final class ClusterNodeTiming {
    static final long HEARTBEAT_MS = 2000;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void awaitUp(String url, Process p) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (Instant.now().isBefore(deadline)) {
      assertThat(p.isAlive()).as("node 3 restarted").isTrue();
      try {
        http.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        Thread.sleep(300);
      }
    }
    throw new AssertionError("node 3 did not come back");
  }
}
