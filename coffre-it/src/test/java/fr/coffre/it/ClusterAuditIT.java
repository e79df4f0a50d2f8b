package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue #19 on a real cluster ({@code scripts/local-cluster}: PostgreSQL and two server processes):
 * requests go to different nodes, each node records them in its own chains, and a tenant's export
 * made on node 1 (a SigV4 GET signed by curl) holds node 2's records and verifies with {@code
 * coffre audit verify}, node by node under each node's key. A record tampered in node 2's part
 * fails, naming node 2; with node 2 killed, the operator's export made on node 1 says it is
 * incomplete and why, and the verifier exits 2 instead of 0.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterAuditIT {
  private static final String BUCKET = "audited";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalCluster cluster;
  private static Map<String, String> env;
  private static Path work;

  @BeforeAll
  static void startCluster() throws Exception {
    assumeThat(Files.isDirectory(Path.of("/usr/lib/postgresql")))
        .as("the postgresql package is installed")
        .isTrue();
    cluster = LocalCluster.start("cluster-audit", 2);
    env = cluster.env;
    work = cluster.dir.resolve("exports");
    Files.createDirectories(work);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** GET /?coffre-audit on node {@code i}, signed by curl's own SigV4 with the root key. */
  private static int tenantExport(int i, Path out) throws Exception {
    Process p =
        new ProcessBuilder(
                "curl",
                "-sS",
                "-o",
                out.toString(),
                "-w",
                "%{http_code}",
                "--aws-sigv4",
                "aws:amz:us-east-1:s3",
                "--user",
                env.get("AK") + ":" + env.get("SK"),
                "-H",
                "x-amz-content-sha256: UNSIGNED-PAYLOAD",
                env.get("NODE" + i + "_URL") + "/?coffre-audit=1")
            .redirectErrorStream(true)
            .start();
    String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).as(status).isZero();
    return Integer.parseInt(status.substring(status.length() - 3));
  }

  /** {@code coffre audit verify FILE --public-key node1 --public-key node2}. */
  private static ServerProcess.Admin verify(Path file) throws Exception {
    List<String> args = new ArrayList<>(List.of("audit", "verify", file.toString()));
    for (int i = 1; i <= 2; i++) {
      args.add("--public-key");
      args.add(Path.of(env.get("NODE" + i + "_DATA"), "keys", "signing.pub").toString());
    }
    return ServerProcess.cli(Map.of(), args.toArray(String[]::new));
  }

  private static List<JsonNode> lines(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  /** The lines of {@code node}'s part: after its part line, up to the next part or the end. */
  private static List<JsonNode> part(List<JsonNode> lines, String node) {
    List<JsonNode> out = new ArrayList<>();
    boolean in = false;
    for (JsonNode n : lines) {
      String type = n.path("type").asText();
      if (type.equals("part") || type.equals("bundle-end")) {
        in = type.equals("part") && n.path("node").asText().equals(node);
        continue;
      }
      if (in) {
        out.add(n);
      }
    }
    return out;
  }

  @Test
  @Order(1)
  void tenantExportMadeOnNode1_holdsNode2sRecords_andVerifiesPerNode() throws Exception {
    try (S3Client s1 = cluster.s3(1, false);
        S3Client s2 = cluster.s3(2, false)) {
      s1.createBucket(b -> b.bucket(BUCKET));
      s1.putObject(b -> b.bucket(BUCKET).key("via-node-1"), RequestBody.fromString("one"));
      s2.putObject(b -> b.bucket(BUCKET).key("via-node-2"), RequestBody.fromString("two"));
    }
    Path file = work.resolve("tenant.jsonl");
    assertThat(tenantExport(1, file)).as(Files.readString(file)).isEqualTo(200);
    List<JsonNode> lines = lines(file);
    assertThat(lines.get(0).get("type").asText()).isEqualTo("bundle");
    assertThat(lines.get(0).get("node").asText()).isEqualTo("node-1");
    assertThat(lines.get(0).get("nodes").toString()).isEqualTo("[\"node-1\",\"node-2\"]");
    List<JsonNode> two = part(lines, "node-2");
    assertThat(two.get(0).get("type").asText()).isEqualTo("export");
    assertThat(two)
        .as("node 2's part holds the PUT sent to node 2")
        .anyMatch(
            n ->
                n.path("operation").asText().equals("PutObject")
                    && n.path("key").asText().equals("via-node-2"));
    assertThat(part(lines, "node-1"))
        .as("the PUT sent to node 2 is not in node 1's own chain")
        .noneMatch(n -> n.path("key").asText().equals("via-node-2"))
        .anyMatch(n -> n.path("key").asText().equals("via-node-1"));
    JsonNode end = lines.get(lines.size() - 1);
    assertThat(end.get("type").asText()).isEqualTo("bundle-end");
    assertThat(end.get("complete").asBoolean()).isTrue();

    ServerProcess.Admin ok = verify(file);
    assertThat(ok.status()).as(ok.body()).isZero();
    assertThat(ok.body()).contains(": OK").contains("node node-1: OK").contains("node node-2: OK");
  }

  @Test
  @Order(2)
  void internalAuditRoute_refusesCallersWithoutTheClusterSecret_andRecordsThem() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://" + env.get("NODE2_CLUSTER") + "/internal/v1/audit/default"))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).doesNotContain("\"type\"");
    // The refusal lands in node 2's _system chain (ClusterCallRefused), as for the blob routes.
    Path system = Path.of(env.get("NODE2_DATA"), "audit", "_system");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    boolean recorded = false;
    while (!recorded && Instant.now().isBefore(deadline)) {
      try (var files = Files.list(system)) {
        for (Path segment : files.toList()) {
          if (Files.readString(segment).contains("/internal/v1/audit/default")) {
            recorded = true;
          }
        }
      }
      Thread.sleep(200);
    }
    assertThat(recorded).as("ClusterCallRefused recorded on node 2").isTrue();
  }

  @Test
  @Order(3)
  void aRecordTamperedInNode2sPart_failsVerifyNamingNode2() throws Exception {
    Path file = work.resolve("tenant.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"key\":\"via-node-2\"")
          && lines.get(i).contains("\"status\":200")) {
        at = i;
      }
    }
    assertThat(at).as("node 2's record of the PUT").isPositive();
    lines.set(at, lines.get(at).replace("\"status\":200", "\"status\":404"));
    Path tampered = work.resolve("tampered.jsonl");
    Files.write(tampered, lines, StandardCharsets.UTF_8);
    ServerProcess.Admin failed = verify(tampered);
    assertThat(failed.status()).as(failed.body()).isEqualTo(1);
    assertThat(failed.body())
        .contains("FAILED")
        .contains("the part of node node-2 failed verification")
        .contains("node node-1: OK")
        .contains("MODIFIED");
  }

  @Test
  @Order(4)
  void withNode2Killed_theOperatorsExportSaysIncomplete() throws Exception {
    long pid2 = Long.parseLong(env.get("NODE2_PID"));
    new ProcessBuilder("kill", "-9", Long.toString(pid2)).start().waitFor();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (ProcessHandle.of(pid2).map(ProcessHandle::isAlive).orElse(false)
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    String token = Files.readString(Path.of(env.get("NODE1_DATA")).resolve("admin-token")).strip();
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(env.get("NODE1_ADMIN_URL") + "/admin/v1/audit/default"))
                    .header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(90))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    Path file = work.resolve("operator-incomplete.jsonl");
    Files.write(file, r.body());
    List<JsonNode> lines = lines(file);
    JsonNode missing =
        lines.stream()
            .filter(n -> n.path("type").asText().equals("part"))
            .filter(n -> n.path("node").asText().equals("node-2"))
            .findFirst()
            .orElseThrow();
    assertThat(missing.path("missing").asText())
        .startsWith("unreachable: ")
        .contains("node-2")
        .doesNotContain("null");
    assertThat(lines.get(lines.size() - 1).get("complete").asBoolean()).isFalse();

    ServerProcess.Admin incomplete = verify(file);
    assertThat(incomplete.status()).as(incomplete.body()).isEqualTo(2);
    assertThat(incomplete.body())
        .contains("INCOMPLETE")
        .contains("incomplete: node node-2 unreachable")
        .contains("node node-1: OK");
  }
}
