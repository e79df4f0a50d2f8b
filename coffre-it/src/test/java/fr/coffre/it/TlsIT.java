package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * HTTPS on the S3 address from PEM files made by scripts/dev-tls-cert.sh: the AWS SDK v2 and
 * aws-cli trusting that certificate, TLS 1.1 and non-forward-secret suites refused, and a renewed
 * certificate served without a restart.
 */
class TlsIT {
  @TempDir static Path work;
  private static Path tls;
  private static ServerProcess server;

  record Result(int code, String output) {}

  private static Result run(List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("AWS_CA_BUNDLE");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  private static Result run(String... cmd) throws Exception {
    return run(List.of(cmd), Map.of());
  }

  @BeforeAll
  static void start() throws Exception {
    tls = work.resolve("tls");
    Path script = Path.of("..", "scripts", "dev-tls-cert.sh").toAbsolutePath().normalize();
    Result made = run(script.toString(), tls.toString());
    assertThat(made.code()).as(made.output()).isZero();
    server =
        ServerProcess.startWithEnv(
            Map.of("COFFRE_ACCESS_LOG", "INFO"),
            "--tls-cert",
            tls.resolve("cert.pem").toString(),
            "--tls-key",
            tls.resolve("key.pem").toString());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static S3Client sdkTrusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry(
          "coffre", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return S3Client.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY)))
        .httpClient(
            Apache5HttpClient.builder().tlsTrustManagersProvider(tmf::getTrustManagers).build())
        .build();
  }

  @Test
  void sdkAndAwsCli_overHttps_withTheSelfSignedCertificate() throws Exception {
    assertThat(server.endpoint().getScheme()).isEqualTo("https");
    try (S3Client s3 = sdkTrusting(tls.resolve("cert.pem"))) {
      s3.createBucket(b -> b.bucket("secure"));
      s3.putObject(b -> b.bucket("secure").key("k"), RequestBody.fromString("over TLS"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket("secure").key("k")).asUtf8String())
          .isEqualTo("over TLS");
    }
    Result cli =
        run(
            List.of(
                "aws",
                "--endpoint-url",
                server.endpoint().toString(),
                "--ca-bundle",
                tls.resolve("cert.pem").toString(),
                "s3",
                "ls",
                "s3://secure"),
            Map.of(
                "AWS_ACCESS_KEY_ID",
                ServerProcess.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY",
                ServerProcess.SECRET_KEY,
                "AWS_DEFAULT_REGION",
                "us-east-1",
                "AWS_CONFIG_FILE",
                work.resolve("none").toString()));
    assertThat(cli.code()).as(cli.output()).isZero();
    assertThat(cli.output()).contains(" k");
    // The request is known to have come over TLS (aws:SecureTransport for bucket policies).
    assertThat(Files.readString(server.log())).contains("operation=PutObject").contains("tls=true");
  }

  private static String handshake(String... options) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port()));
    cmd.addAll(List.of(options));
    return run(cmd, Map.of()).output();
  }

  @Test
  void oldProtocolsAndWeakSuites_areRefused() throws Exception {
    assertThat(handshake("-tls1_2"))
        .contains("Protocol  : TLSv1.2")
        .containsPattern("Cipher is ECDHE-ECDSA-AES(128|256)-GCM");
    assertThat(handshake("-tls1_3")).contains("TLSv1.3");
    // The client is allowed TLS 1.1 (security level 0): the refusal is the server's.
    assertThat(handshake("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"))
        .contains("alert protocol version")
        .contains("Cipher is (NONE)");
    // No forward secrecy, or no AEAD: refused.
    assertThat(handshake("-tls1_2", "-cipher", "AES256-SHA")).contains("Cipher is (NONE)");
    assertThat(handshake("-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-SHA"))
        .contains("Cipher is (NONE)");
  }

  @Test
  void renewedCertificate_isServedWithoutARestart() throws Exception {
    String before = fingerprint(handshake("-showcerts"));
    Path renewed = work.resolve("renewed");
    Result made =
        run(
            Path.of("..", "scripts", "dev-tls-cert.sh").toAbsolutePath().normalize().toString(),
            renewed.toString());
    assertThat(made.code()).as(made.output()).isZero();
    Files.copy(
        renewed.resolve("cert.pem"),
        tls.resolve("cert.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        renewed.resolve("key.pem"),
        tls.resolve("key.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    // SIGHUP asks for the reload at once; the file watch would also see the change within seconds
    // (and is what works when SIGHUP is ignored, e.g. under nohup).
    assertThat(run("kill", "-HUP", Long.toString(server.pid())).code()).isZero();
    String expected = fingerprint(Files.readString(renewed.resolve("cert.pem")));
    assertThat(expected).isNotEqualTo(before);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    String now = before;
    while (!now.equals(expected) && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      now = fingerprint(handshake("-showcerts"));
    }
    assertThat(now).isEqualTo(expected);
    try (S3Client s3 = sdkTrusting(renewed.resolve("cert.pem"))) {
      assertThat(s3.listBuckets().buckets()).isNotNull();
    }
  }

  /** The first PEM certificate in some text, as its base64 body. */
  private static String fingerprint(String text) {
    int start = text.indexOf("-----BEGIN CERTIFICATE-----");
    int end = text.indexOf("-----END CERTIFICATE-----", start);
    assertThat(start).as(text).isGreaterThanOrEqualTo(0);
    return text.substring(start, end).replaceAll("\\s", "");
  }
}
