package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The audit trail end to end: what tenants do through real clients, what strangers try, what the
 * operator changes — each lands in the right tenant's chain, which the tenant exports itself with a
 * signed request and verifies offline with {@code coffre audit verify}; tampered exports fail
 * naming the record.
 */
class AuditIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String POLICY_WITH_EXPORT =
      "{\"Version\":\"2012-10-17\",\"Statement\":["
          + "{\"Effect\":\"Allow\",\"Action\":[\"s3:*\",\"coffre:ExportAuditTrail\"],\"Resource\":\"*\"}]}";
  private static ServerProcess server;
  private static Identities ids;
  private static Identities.Key alice;
  private static Identities.Key bob;
  private static final List<String> aliceRequests = new ArrayList<>();
  private static String deniedRequest;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
    ids = new Identities(server);
    ids.tenant("acme");
    ids.tenant("globex");
    alice = ids.user("acme", "alice", Identities.FULL_ACCESS);
    bob = ids.user("globex", "bob", Identities.FULL_ACCESS);
    try (S3Client a = alice.client(server);
        S3Client old = S3Clients.legacyWithKeys(server.endpoint(), alice.id(), alice.secret());
        S3Client b = bob.client(server)) {
      aliceRequests.add(a.createBucket(r -> r.bucket("acme-data")).responseMetadata().requestId());
      aliceRequests.add(
          a.putObject(
                  r -> r.bucket("acme-data").key("rapport é.pdf"),
                  RequestBody.fromString("new client"))
              .responseMetadata()
              .requestId());
      aliceRequests.add(
          old.putObject(
                  r -> r.bucket("acme-data").key("old-client.txt"),
                  RequestBody.fromString("old client"))
              .responseMetadata()
              .requestId());
      aliceRequests.add(
          a.getObjectAsBytes(r -> r.bucket("acme-data").key("rapport é.pdf"))
              .response()
              .responseMetadata()
              .requestId());
      b.createBucket(r -> r.bucket("globex-secret"));
      b.putObject(
          r -> r.bucket("globex-secret").key("globex-only.txt"), RequestBody.fromString("private"));
      // A stranger tries: refused, and the owner sees the attempt.
      S3Exception denied =
          org.junit.jupiter.api.Assertions.assertThrows(
              S3Exception.class,
              () -> b.getObjectAsBytes(r -> r.bucket("acme-data").key("rapport é.pdf")));
      assertThat(denied.statusCode()).isEqualTo(403);
      deniedRequest = denied.requestId();
    }
    // Someone guesses alice's secret.
    try (S3Client wrong =
        S3Clients.withKeys(server.endpoint(), alice.id(), "not-the-secret-at-all")) {
      assertThatThrownBy(() -> wrong.listBuckets()).isInstanceOf(S3Exception.class);
    }
    // The operator acts on acme.
    ids.call(200, "PUT", "tenants/acme/quota", "{\"objects\":1000}");
    ids.call(200, "POST", "tenants/acme/users/alice/disable", null);
    ids.call(200, "POST", "tenants/acme/users/alice/enable", null);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** GET /?coffre-audit signed by curl's own SigV4 (a client nobody here wrote). */
  private static Curl exportWithCurl(Identities.Key key, Path out) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("curl", "-sS", "-o", out.toString(), "-w", "%{http_code}"));
    if (key != null) {
      // curl 7.88 sends no payload hash of its own, and signs a bare "?name" without its "=": give
      // both.
      cmd.addAll(
          List.of(
              "--aws-sigv4",
              "aws:amz:us-east-1:s3",
              "--user",
              key.id() + ":" + key.secret(),
              "-H",
              "x-amz-content-sha256: UNSIGNED-PAYLOAD"));
    }
    cmd.add(server.endpoint() + "/?coffre-audit=1");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).as(status).isZero();
    return new Curl(Integer.parseInt(status.substring(status.length() - 3)), out);
  }

  record Curl(int status, Path file) {}

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  private static ServerProcess.Admin verify(Path file) throws Exception {
    return ServerProcess.cli(
        Map.of(),
        "audit",
        "verify",
        file.toString(),
        "--public-key",
        server.dataDir().resolve("keys/signing.pub").toString());
  }

  @Test
  void aTenantExportsItsOwnTrailWithASignedRequest_andItVerifiesOffline(@TempDir Path dir)
      throws Exception {
    // s3:* does not include the audit trail: exporting it is a right of its own.
    assertThat(exportWithCurl(alice, dir.resolve("refused.xml")).status()).isEqualTo(403);
    ids.call(200, "PUT", "tenants/acme/users/alice/policies/main", POLICY_WITH_EXPORT);
    Curl export = exportWithCurl(alice, dir.resolve("acme.jsonl"));
    assertThat(export.status()).as(Files.readString(export.file())).isEqualTo(200);
    List<JsonNode> lines = lines(export.file());
    assertThat(lines.get(0).get("type").asText()).isEqualTo("export");
    assertThat(lines.get(0).get("chain").asText()).isEqualTo("acme");
    assertThat(lines.get(lines.size() - 1).get("final").asBoolean()).isTrue();
    List<JsonNode> records =
        lines.stream().filter(l -> l.get("type").asText().equals("record")).toList();
    assertThat(records).allSatisfy(r -> assertThat(r.get("chain").asText()).isEqualTo("acme"));

    // Every acknowledged request of alice is there with its outcome, under the request id she got.
    Map<String, List<JsonNode>> byRequest =
        records.stream()
            .filter(r -> r.has("requestId"))
            .collect(Collectors.groupingBy(r -> r.get("requestId").asText()));
    for (String id : aliceRequests) {
      assertThat(byRequest).containsKey(id);
      assertThat(byRequest.get(id))
          .anySatisfy(r -> assertThat(r.get("status").asInt()).isEqualTo(200));
    }
    JsonNode put =
        byRequest.get(aliceRequests.get(1)).stream()
            .filter(r -> r.get("status").asInt() == 200)
            .findFirst()
            .orElseThrow();
    assertThat(put.get("operation").asText()).isEqualTo("PutObject");
    assertThat(put.get("bucket").asText()).isEqualTo("acme-data");
    assertThat(put.get("key").asText()).isEqualTo("rapport é.pdf");
    assertThat(put.get("principal").get("user").asText()).isEqualTo("alice");
    assertThat(put.get("principal").get("accessKey").asText()).isEqualTo(alice.id());
    assertThat(put.get("address").asText()).isEqualTo("127.0.0.1");
    assertThat(put.get("bytesIn").asLong()).isPositive();
    // A change is recorded before it starts (status 0), then with its outcome.
    assertThat(byRequest.get(aliceRequests.get(1)))
        .anySatisfy(r -> assertThat(r.get("status").asInt()).isZero());

    // The stranger's refused attempt, and the failed signature with alice's key id.
    assertThat(byRequest.get(deniedRequest))
        .anySatisfy(
            r -> {
              assertThat(r.get("status").asInt()).isEqualTo(403);
              assertThat(r.get("error").asText()).isEqualTo("AccessDenied");
              assertThat(r.get("principal").get("tenant").asText()).isEqualTo("globex");
            });
    assertThat(records)
        .anySatisfy(
            r -> {
              assertThat(r.get("principal").get("type").asText()).isEqualTo("unauthenticated");
              assertThat(r.get("principal").get("accessKey").asText()).isEqualTo(alice.id());
              assertThat(r.get("status").asInt()).isEqualTo(403);
            });

    // The operator's changes, with what they changed.
    JsonNode quota =
        records.stream()
            .filter(
                r ->
                    r.get("operation").asText().equals("PUT /admin/v1/tenants/acme/quota")
                        && r.get("status").asInt() == 200)
            .findFirst()
            .orElseThrow();
    assertThat(quota.get("principal").get("type").asText()).isEqualTo("operator");
    assertThat(quota.get("details").get("after").get("quota").get("objects").asLong())
        .isEqualTo(1000);
    assertThat(quota.get("details").get("before").get("quota").get("objects").isNull()).isTrue();
    JsonNode disable =
        records.stream()
            .filter(
                r ->
                    r.get("operation").asText().endsWith("/users/alice/disable")
                        && r.get("status").asInt() == 200)
            .findFirst()
            .orElseThrow();
    assertThat(disable.get("details").get("before").get("enabled").asBoolean()).isTrue();
    assertThat(disable.get("details").get("after").get("enabled").asBoolean()).isFalse();
    // Access key creation is recorded, its secret is not.
    String text = Files.readString(export.file());
    assertThat(text).contains("access-keys").doesNotContain(alice.secret());

    // Nothing of globex's own business.
    assertThat(text).doesNotContain("globex-secret").doesNotContain("globex-only.txt");

    ServerProcess.Admin ok = verify(export.file());
    assertThat(ok.status()).as(ok.body()).isZero();
    assertThat(ok.body()).containsIgnoringCase("ok");
  }

  @Test
  void tamperedExportsFailNamingTheRecord(@TempDir Path dir) throws Exception {
    ServerProcess.Admin exported =
        ServerProcess.cli(
            Map.of(
                "COFFRE_ADMIN_URL",
                server.adminEndpoint().toString(),
                "COFFRE_ADMIN_TOKEN",
                ServerProcess.ADMIN_TOKEN),
            "audit",
            "export",
            "--tenant",
            "acme",
            "-o",
            dir.resolve("acme.jsonl").toString());
    assertThat(exported.status()).as(exported.body()).isZero();
    List<String> lines = Files.readAllLines(dir.resolve("acme.jsonl"), StandardCharsets.UTF_8);
    assertThat(verify(dir.resolve("acme.jsonl")).status()).isZero();
    int r5 = indexOfRecord(lines, 5);

    List<String> flipped = new ArrayList<>(lines);
    flipped.set(r5, lines.get(r5).replace("\"status\":", "\"status\":9"));
    expectFailure(dir, "flipped", flipped, "5", "modif");

    List<String> deleted = new ArrayList<>(lines);
    deleted.remove(r5);
    expectFailure(dir, "deleted", deleted, "5", "delet");

    List<String> swapped = new ArrayList<>(lines);
    swapped.set(r5, lines.get(r5 + 1));
    swapped.set(r5 + 1, lines.get(r5));
    expectFailure(dir, "swapped", swapped, "5", "order");

    List<String> truncated = new ArrayList<>(lines.subList(0, lines.size() - 3));
    expectFailure(dir, "truncated", truncated, "", "truncat");

    List<String> forged = new ArrayList<>(lines);
    int last = forged.size() - 1;
    JsonNode cp = JSON.readTree(forged.get(last));
    forged.set(
        last,
        forged
            .get(last)
            .replace(
                "\"seq\":" + cp.get("seq").asLong(), "\"seq\":" + (cp.get("seq").asLong() + 1)));
    expectFailure(dir, "forged", forged, "", "checkpoint");
  }

  private static int indexOfRecord(List<String> lines, long seq) throws IOException {
    for (int i = 0; i < lines.size(); i++) {
      JsonNode n = JSON.readTree(lines.get(i));
      if (n.get("type").asText().equals("record") && n.get("seq").asLong() == seq) {
        return i;
      }
    }
    throw new AssertionError("no record " + seq);
  }

  private static void expectFailure(
      Path dir, String name, List<String> lines, String seq, String word) throws Exception {
    Path f = dir.resolve(name + ".jsonl");
    Files.write(f, lines, StandardCharsets.UTF_8);
    ServerProcess.Admin r = verify(f);
    assertThat(r.status()).as(name + ": " + r.body()).isEqualTo(1);
    assertThat(r.body().toLowerCase(java.util.Locale.ROOT)).as(name).contains(word).contains(seq);
  }

  @Test
  void eachTenantSeesOnlyItsOwn_andStrangersNothing(@TempDir Path dir) throws Exception {
    ids.call(200, "PUT", "tenants/globex/users/bob/policies/main", POLICY_WITH_EXPORT);
    Curl globex = exportWithCurl(bob, dir.resolve("globex.jsonl"));
    assertThat(globex.status()).isEqualTo(200);
    String text = Files.readString(globex.file());
    assertThat(text)
        .contains("globex-only.txt")
        .doesNotContain("old-client.txt")
        .doesNotContain("\"chain\":\"acme\"");
    // bob's refused attempt on acme is in his own tenant's chain too.
    assertThat(text).contains(deniedRequest);
    assertThat(exportWithCurl(null, dir.resolve("anonymous.xml")).status()).isEqualTo(403);
  }

  @Test
  void theOperatorSeesTheSystemChain(@TempDir Path dir) throws Exception {
    ServerProcess.Admin chains = server.admin("GET", "audit", null);
    assertThat(chains.status()).isEqualTo(200);
    assertThat(chains.body()).contains("\"_system\"").contains("\"acme\"").contains("\"globex\"");
    ServerProcess.Admin system = server.admin("GET", "audit/_system", null);
    assertThat(system.status()).isEqualTo(200);
    assertThat(system.body()).contains("ServerStart");
    Path f = dir.resolve("system.jsonl");
    Files.writeString(f, system.body());
    assertThat(verify(f).status()).isZero();
    assertThat(server.admin("GET", "audit/nobody", null).status()).isEqualTo(404);
  }

  @Test
  void aDeletedTenantsNameIsNotReusedWhileItsTrailIsKept() throws Exception {
    ids.tenant("ephemeral");
    ids.call(200, "PUT", "tenants/ephemeral/quota", "{\"objects\":10}"); // lands in its chain
    ids.call(204, "DELETE", "tenants/ephemeral", null);
    ServerProcess.Admin again = server.admin("POST", "tenants", "{\"name\":\"ephemeral\"}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body()).contains("audit trail is still kept");
    // The operator still reads the deleted tenant's chain.
    assertThat(server.admin("GET", "audit", null).body()).contains("\"ephemeral\"");
  }

  @Test
  void oldAndNewAwsCliRequestsAreRecorded(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cli.txt");
    Files.writeString(file, "from aws-cli");
    int tried = 0;
    for (String aws :
        List.of(System.getenv().getOrDefault("COFFRE_IT_OLD_AWS", "/usr/bin/aws"), "aws")) {
      String key = "cli-" + tried + ".txt";
      ProcessBuilder pb =
          new ProcessBuilder(
                  aws,
                  "--endpoint-url",
                  server.endpoint().toString(),
                  "s3",
                  "cp",
                  file.toString(),
                  "s3://acme-data/" + key)
              .redirectErrorStream(true);
      pb.environment().remove("AWS_CA_BUNDLE");
      pb.environment().put("AWS_ACCESS_KEY_ID", alice.id());
      pb.environment().put("AWS_SECRET_ACCESS_KEY", alice.secret());
      pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
      pb.environment().put("AWS_CONFIG_FILE", "/nonexistent");
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        continue; // this aws-cli is not installed
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(aws + ": " + out).isZero();
      tried++;
    }
    assertThat(tried).isPositive();
    ServerProcess.Admin acme = server.admin("GET", "audit/acme", null);
    for (int i = 0; i < tried; i++) {
      assertThat(acme.body()).contains("\"key\":\"cli-" + i + ".txt\"");
    }
  }
}
