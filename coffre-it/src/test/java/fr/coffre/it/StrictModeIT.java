package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strict beyond loopback, easy on a laptop, with real server processes: a start that strict mode
 * refuses ends with one message and a non-zero exit before anything is opened or bound; the
 * developer override starts anyway, warns and is recorded at each start. Only loopback is ever
 * bound on a test machine: the addresses beyond it are 192.0.2.1 (TEST-NET-1, never assigned), so
 * even a regression could not listen there.
 */
class StrictModeIT {
  private static final String BEYOND = "192.0.2.1";
  private static final String OPS_TOKEN = "an-ops-token-0123456789";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path work;

  /** A {@code coffre server} that should refuse: its exit code and output, within a minute. */
  private record Run(int exit, String output) {}

  private Run refusedServer(Map<String, String> env, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                "fr.coffre.cli.Main",
                "server"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Path out = work.resolve("server-" + System.nanoTime() + ".log");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("the server did not refuse; it ran:\n" + Files.readString(out));
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  private static int freePort() throws Exception {
    return Ports.free();
  }

  @Test
  void beyondLoopback_withoutTlsAndWithTheDevelopmentKey_isRefusedBeforeAnythingOpens()
      throws Exception {
    Path data = work.resolve("data");
    Run run =
        refusedServer(
            Map.of(),
            "--data",
            data.toString(),
            "--address",
            BEYOND + ":9000",
            "--ops-address",
            "off",
            "--admin-address",
            "off",
            "--console-address",
            "off");
    assertThat(run.exit()).isNotZero();
    assertThat(run.output())
        .contains("coffre: refusing to start (strict mode, docs/security.md), 2 problems:")
        .contains("the S3 listener on " + BEYOND + ":9000 is beyond loopback without TLS")
        .contains("fix: give --tls-cert and --tls-key")
        .contains("the root key is the development key file")
        .contains("COFFRE_ROOT_PASSPHRASE_FILE")
        .contains("--insecure-dev")
        .doesNotContain("Coffre listening", "Exception", "\tat ");
    assertThat(data).as("refused before the data directory is made").doesNotExist();
  }

  @Test
  void adminBeyondLoopback_withoutTls_isRefusedThoughS3StaysOnLoopback() throws Exception {
    Run run =
        refusedServer(
            Map.of("COFFRE_ROOT_PASSPHRASE", "une phrase de passe assez longue"),
            "--data",
            work.resolve("data").toString(),
            "--address",
            "127.0.0.1:" + freePort(),
            "--ops-address",
            "off",
            "--console-address",
            "off",
            "--admin-address",
            BEYOND + ":9002");
    assertThat(run.exit()).isNotZero();
    assertThat(run.output())
        .contains("1 problem:")
        .contains("the admin listener on " + BEYOND + ":9002 is beyond loopback without TLS")
        .contains("bearer token")
        .doesNotContain("development key file", "Coffre listening");
  }

  @Test
  void auditOff_isRefusedOnLoopbackToo_andStartsOnlyUnderTheOverride_loudly() throws Exception {
    Run run =
        refusedServer(
            Map.of("COFFRE_AUDIT", "off"),
            "--data",
            work.resolve("data").toString(),
            "--address",
            "127.0.0.1:" + freePort(),
            "--ops-address",
            "off",
            "--admin-address",
            "off",
            "--console-address",
            "off");
    assertThat(run.exit()).isNotZero();
    assertThat(run.output())
        .contains("the audit trail is off (audit.enabled / COFFRE_AUDIT)")
        .doesNotContain("Coffre listening");

    try (ServerProcess server =
        ServerProcess.startWithEnv(Map.of("COFFRE_AUDIT", "off"), "--insecure-dev")) {
      String log = Files.readString(server.log());
      assertThat(log)
          .contains("WARN")
          .contains("INSECURE DEVELOPMENT MODE")
          .contains("insecure-dev overrides: the audit trail is off")
          .contains("this insecure-dev start is not recorded: the audit trail is off");
    }
  }

  @Test
  void insecureDevStart_isRecordedInTheAuditTrail_atEachStart() throws Exception {
    ServerProcess server = ServerProcess.create().withEnv(Map.of("COFFRE_AUDIT_RETENTION", "30d"));
    try (server) {
      server.withEnv(Map.of("COFFRE_INSECURE_DEV", "true"));
      server.launch();
      assertThat(Files.readString(server.log()))
          .contains("insecure-dev overrides: the audit retention");
      assertThat(insecureDevStarts(server, 1)).isEqualTo(1);
      server.close();
      server.launch();
      assertThat(insecureDevStarts(server, 2)).isEqualTo(2);
      ServerProcess.Admin system = server.admin("GET", "audit/_system", null);
      assertThat(system.body()).contains("the audit retention", "under the floor of 180 days");
    }
  }

  /** The InsecureDevStart records of the system chain, waiting up to 10 s for {@code expected}. */
  private static int insecureDevStarts(ServerProcess server, int expected) throws Exception {
    // A start is recorded just after its listeners open, so just after launch() returns.
    int found = 0;
    for (int i = 0; i < 100 && found < expected; i++) {
      ServerProcess.Admin system = server.admin("GET", "audit/_system", null);
      assertThat(system.status()).isEqualTo(200);
      found = system.body().split("\"InsecureDevStart\"", -1).length - 1;
      if (found < expected) {
        Thread.sleep(100);
      }
    }
    return found;
  }

  @Test
  void configCheck_reportsTheRefusalsAndThePosture_withoutStarting() throws Exception {
    Path data = work.resolve("data");
    Path config = work.resolve("coffre.yaml");
    Files.writeString(
        config,
        "data: "
            + data
            + "\naddress: "
            + BEYOND
            + ":9000\nops-address: \"off\"\naudit: {fail-closed: false}\n");
    ServerProcess.Admin check = ServerProcess.cli(Map.of(), "config", "check", config.toString());
    assertThat(check.status()).isEqualTo(1);
    assertThat(check.body())
        .contains("valid, but strict mode refuses to start with it")
        .contains("security posture:")
        .containsPattern("holds\\s+encryption at rest")
        .containsPattern("weakened\\s+root key")
        .containsPattern(
            "weakened\\s+TLS S3\\s+plain HTTP on " + BEYOND.replace(".", "\\.") + ":9000")
        .containsPattern("weakened\\s+audit trail\\s+on, fail-open")
        .contains("strict mode refuses this start:")
        .contains("the S3 listener on " + BEYOND + ":9000 is beyond loopback without TLS")
        .contains("the audit trail is fail-open");

    ServerProcess.Admin json =
        ServerProcess.cli(Map.of(), "config", "check", "--json", config.toString());
    assertThat(json.status()).isEqualTo(1);
    JsonNode answer = new ObjectMapper().readTree(json.body().substring(json.body().indexOf('{')));
    assertThat(answer.get("valid").asBoolean()).isTrue();
    assertThat(answer.get("refused").asBoolean()).isTrue();
    assertThat(answer.get("refusals")).hasSize(3); // root key, S3 listener, fail-open

    ServerProcess.Admin overridden =
        ServerProcess.cli(
            Map.of("COFFRE_INSECURE_DEV", "true"), "config", "check", config.toString());
    assertThat(overridden.status()).isZero();
    assertThat(overridden.body())
        .contains("ok under insecure-dev only")
        .contains("overridden by insecure-dev");
    assertThat(data).doesNotExist();
  }

  @Test
  void opsToken_guardsMetrics_notHealth() throws Exception {
    try (ServerProcess server = ServerProcess.startWithEnv(Map.of("COFFRE_OPS_TOKEN", OPS_TOKEN))) {
      URI metrics = URI.create(server.opsEndpoint() + "/metrics");
      HttpResponse<String> refused =
          HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      HttpResponse<String> scraped =
          HTTP.send(
              HttpRequest.newBuilder(metrics)
                  .header("Authorization", "Bearer " + OPS_TOKEN)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.body()).contains("# TYPE");
      HttpResponse<String> live =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(server.opsEndpoint() + "/health/live")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
    }
  }
}
