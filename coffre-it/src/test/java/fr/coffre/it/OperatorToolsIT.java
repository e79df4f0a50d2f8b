package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What an operator uses beside S3: {@code coffre admin} finding the server of a data directory or a
 * configuration file (address, HTTPS and its certificate), tables by default and JSON on request, a
 * clear message for an untrusted certificate; and the metrics of the audit trail, the seal, KMS
 * operations, placement refusals and the scrubber.
 */
class OperatorToolsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path work;
  static ServerProcess server;
  static ServerProcess tlsServer;
  static Path cert;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
    Path tls = work.resolve("tls");
    Process made =
        new ProcessBuilder(
                Path.of("..", "scripts", "dev-tls-cert.sh").toAbsolutePath().normalize().toString(),
                tls.toString())
            .redirectErrorStream(true)
            .start();
    made.getInputStream().readAllBytes();
    assertThat(made.waitFor()).isZero();
    cert = tls.resolve("cert.pem");
    tlsServer =
        ServerProcess.start(
            "512m", "--tls-cert", cert.toString(), "--tls-key", tls.resolve("key.pem").toString());
  }

  @AfterAll
  static void stop() {
    for (ServerProcess s : new ServerProcess[] {server, tlsServer}) {
      if (s != null) {
        s.close();
      }
    }
  }

  private static Map<String, String> token() {
    return Map.of("COFFRE_ADMIN_TOKEN", ServerProcess.ADMIN_TOKEN);
  }

  @Test
  void admin_dataDirectory_reachesItsServer_tablesByDefault_jsonOnRequest() throws Exception {
    // The server's admin port is not the default one: only its data directory says where it is.
    ServerProcess.Admin table =
        ServerProcess.cli(
            token(), "admin", "tenants", "list", "--data", server.dataDir().toString());
    assertThat(table.status()).as(table.body()).isZero();
    assertThat(table.body()).contains("NAME", "ACCOUNTID", "default").doesNotContain("{");

    ServerProcess.Admin json =
        ServerProcess.cli(
            token(), "admin", "tenants", "list", "--json", "--data", server.dataDir().toString());
    assertThat(json.status()).as(json.body()).isZero();
    assertThat(JSON.readTree(json.body()).get("tenants").get(0).get("name").asText())
        .isEqualTo("default");

    ServerProcess.Admin missing =
        ServerProcess.cli(
            token(), "admin", "tenants", "show", "nowhere", "--data", server.dataDir().toString());
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.body()).contains("404", "NoSuchTenant");
  }

  @Test
  void admin_overTls_trustsTheServersCertificate_andSaysClearlyWhenItCannot() throws Exception {
    // Its data directory names the HTTPS address and the certificate to trust.
    ServerProcess.Admin ok =
        ServerProcess.cli(token(), "admin", "status", "--data", tlsServer.dataDir().toString());
    assertThat(ok.status()).as(ok.body()).isZero();
    assertThat(ok.body()).contains("sealed:");

    // So does a configuration file naming the server's admin address and certificate.
    Path config = work.resolve("coffre.yaml");
    java.nio.file.Files.writeString(
        config,
        "admin-address: 127.0.0.1:"
            + tlsServer.adminEndpoint().getPort()
            + "\ntls:\n  cert: "
            + cert
            + "\n  key: "
            + cert.resolveSibling("key.pem")
            + "\n");
    ServerProcess.Admin viaConfig =
        ServerProcess.cli(token(), "admin", "status", "--config", config.toString());
    assertThat(viaConfig.status()).as(viaConfig.body()).isZero();

    // Told only the URL, the command does not trust a self-signed certificate, and says what to do.
    URI url = URI.create("https://127.0.0.1:" + tlsServer.adminEndpoint().getPort());
    ServerProcess.Admin refused =
        ServerProcess.cli(token(), "admin", "status", "--url", url.toString());
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.body())
        .contains("does not trust", "--ca-cert")
        .doesNotContain("PKIX path", "Exception", "\tat ");

    ServerProcess.Admin nobody =
        ServerProcess.cli(token(), "admin", "status", "--url", "http://127.0.0.1:1");
    assertThat(nobody.body()).contains("nothing answers at http://127.0.0.1:1");
  }

  private static String metrics() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(server.opsEndpoint().resolve("/metrics")).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  private static double value(String scrape, String series) {
    return scrape
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(series + " not in the scrape"));
  }

  @Test
  void metrics_auditSealKmsPlacementAndScrubber() throws Exception {
    assertThat(
            ServerProcess.cli(
                    token(), "admin", "keys", "create", "--data", server.dataDir().toString())
                .status())
        .isZero();
    try (S3Client s3 = S3Clients.modern(server.endpoint())) {
      // The default undeclared site and key file can never hold 'restricted' data: refused.
      try {
        s3.createBucket(
            r ->
                r.bucket("never-placed")
                    .createBucketConfiguration(c -> c.locationConstraint("restricted")));
      } catch (SdkException expected) {
        // counted below
      }
      s3.createBucket(r -> r.bucket("metrics-b"));
    }
    assertThat(server.admin("POST", "scrub", null).status()).isEqualTo(200);
    server.admin("GET", "status", null); // one more audited call

    String scrape = metrics();
    assertThat(value(scrape, "coffre_audit_records_total")).isGreaterThan(3);
    assertThat(value(scrape, "coffre_audit_failures_total")).isZero();
    assertThat(value(scrape, "coffre_sealed")).isZero();
    assertThat(value(scrape, "coffre_kms_operations_total{operation=\"create\"}")).isEqualTo(1);
    // By whichever rule 'restricted' fails first here (key mode or sites).
    assertThat(
            scrape
                .lines()
                .filter(l -> l.startsWith("coffre_placement_refusals_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum())
        .isGreaterThanOrEqualTo(1);
    assertThat(value(scrape, "coffre_scrub_unrepairable")).isZero();
    assertThat(value(scrape, "coffre_scrub_age_seconds")).isGreaterThanOrEqualTo(0);
    assertThat(scrape).contains("coffre_audit_checkpoint_age_seconds");
    assertThat(List.of(scrape.split("\n")))
        .noneMatch(l -> l.startsWith("coffre_sealed") && l.endsWith("NaN"));
  }
}
