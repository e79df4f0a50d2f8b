package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AWS Signature Version 2 from a real V2 client: s3cmd with {@code --signature-v2} (put, get, ls,
 * del) and {@code s3cmd signurl} (V2 presigned URLs, fetched with java's HttpClient), against a
 * real server; then the refusals: an expired or tampered URL, a bucket whose class forbids V2, a
 * server with V2 turned off.
 */
class SigV2IT {
  private static ServerProcess server;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(run(List.of("sh", "-c", "command -v s3cmd")).code() == 0, "s3cmd is not installed");
    Path config = work.resolve("coffre.yaml");
    Files.writeString(config, "placement:\n  classes:\n    - {name: lab, sigv2: false}\n");
    server = ServerProcess.start("512m", "--config", config.toString());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  record Result(int code, String output) {}

  private static Result run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  /** s3cmd against {@code target}, path style, signing with V2 unless {@code v4}. */
  private static Result s3cmd(ServerProcess target, boolean v4, String... args)
      throws IOException, InterruptedException {
    String host = "127.0.0.1:" + target.port();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "s3cmd",
                "--config=/dev/null",
                "--host=" + host,
                "--host-bucket=" + host,
                "--no-ssl",
                "--access_key=" + ServerProcess.ACCESS_KEY,
                "--secret_key=" + ServerProcess.SECRET_KEY,
                "--region=us-east-1"));
    if (!v4) {
      cmd.add("--signature-v2");
    }
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  private static Result s3cmd(String... args) throws IOException, InterruptedException {
    return s3cmd(server, false, args);
  }

  private static Path randomFile(String name, int size) throws IOException {
    Path f = work.resolve(name);
    try (InputStream in = CoreScenariosIT.content(size, name.hashCode())) {
      Files.copy(in, f);
    }
    return f;
  }

  private static HttpResponse<String> fetch(String url) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  /** The URL {@code s3cmd signurl} prints for {@code expiry} (epoch seconds or {@code +offset}). */
  private static String signurl(String object, String expiry) throws Exception {
    Result r = s3cmd("signurl", object, expiry);
    assertThat(r.code()).as(r.output()).isZero();
    String url = r.output().strip();
    assertThat(url).contains("AWSAccessKeyId=", "Signature=", "Expires=");
    return url;
  }

  @Test
  void s3cmdSignatureV2_putGetListDelete_work() throws Exception {
    Path file = randomFile("v2.bin", 300_000);
    Path back = work.resolve("v2-back.bin");
    for (String[] args :
        List.of(
            new String[] {"mb", "s3://sigv2-bucket"},
            new String[] {"put", file.toString(), "s3://sigv2-bucket/dir/f 1.bin"},
            new String[] {"get", "--force", "s3://sigv2-bucket/dir/f 1.bin", back.toString()})) {
      Result r = s3cmd(args);
      assertThat(r.code()).as(String.join(" ", args) + "\n" + r.output()).isZero();
    }
    assertThat(Files.mismatch(file, back)).isEqualTo(-1);
    Result ls = s3cmd("ls", "--recursive", "s3://sigv2-bucket/");
    assertThat(ls.code()).as(ls.output()).isZero();
    assertThat(ls.output()).contains("s3://sigv2-bucket/dir/f 1.bin");
    Result del = s3cmd("del", "s3://sigv2-bucket/dir/f 1.bin");
    assertThat(del.code()).as(del.output()).isZero();
    assertThat(s3cmd("ls", "--recursive", "s3://sigv2-bucket/").output()).doesNotContain("f 1.bin");
    ServerProcess.Admin trail = server.admin("GET", "audit/default", null);
    assertThat(trail.status()).isEqualTo(200);
    assertThat(trail.body())
        .containsPattern("\"operation\":\"PutObject\"[^\n]*\"signature\":\"V2\"");
  }

  @Test
  void s3cmdSignurl_presignedV2Url_servesTheObjectUntilItExpires() throws Exception {
    Path file = work.resolve("shared.txt");
    Files.writeString(file, "shared through a V2 URL\n");
    assertThat(s3cmd("mb", "s3://sigv2-share").code()).isZero();
    assertThat(s3cmd("put", file.toString(), "s3://sigv2-share/shared.txt").code()).isZero();

    String url = signurl("s3://sigv2-share/shared.txt", "+600");
    HttpResponse<String> ok = fetch(url);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("shared through a V2 URL\n");

    String past = Long.toString(Instant.now().getEpochSecond() - 60);
    HttpResponse<String> expired = fetch(signurl("s3://sigv2-share/shared.txt", past));
    assertThat(expired.statusCode()).isEqualTo(403);
    assertThat(expired.body()).contains("<Code>AccessDenied</Code>", "Request has expired");

    int at = url.indexOf("Signature=") + "Signature=".length();
    char c = url.charAt(at);
    String tampered = url.substring(0, at) + (c == 'A' ? 'B' : 'A') + url.substring(at + 1);
    HttpResponse<String> forged = fetch(tampered);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body())
        .contains("<Code>SignatureDoesNotMatch</Code>", "<StringToSign>GET\n")
        .doesNotContain(ServerProcess.SECRET_KEY);
  }

  @Test
  void s3cmdSignatureV2_onABucketWhoseClassRefusesIt_isInvalidRequestNamingTheClass()
      throws Exception {
    Result made = s3cmd(server, true, "--bucket-location=lab", "mb", "s3://sigv2-lab");
    assertThat(made.code()).as(made.output()).isZero();
    Path file = work.resolve("lab.txt");
    Files.writeString(file, "lab data\n");
    assertThat(s3cmd(server, true, "put", file.toString(), "s3://sigv2-lab/lab.txt").code())
        .isZero();

    Result refused = s3cmd("ls", "s3://sigv2-lab/");
    assertThat(refused.code()).isNotZero();
    assertThat(refused.output()).contains("InvalidRequest", "'lab'");
    HttpResponse<String> presigned = fetch(signurl("s3://sigv2-lab/lab.txt", "+600"));
    assertThat(presigned.statusCode()).isEqualTo(400);
    assertThat(presigned.body()).contains("<Code>InvalidRequest</Code>", "'lab'");
  }

  /**
   * s3cmd, refused with S3's exact "Please use AWS4-HMAC-SHA256", retries with V4 by itself (its
   * debug output says so); a V2 presigned URL has no such way out.
   */
  @Test
  void sigV2TurnedOff_sameS3cmdCallIsRefused() throws Exception {
    try (ServerProcess off = ServerProcess.startWithEnv(Map.of("COFFRE_AUTH_SIGV2", "false"))) {
      Result v4 = s3cmd(off, true, "mb", "s3://sigv2-off");
      assertThat(v4.code()).as(v4.output()).isZero();
      Result refused = s3cmd(off, false, "--debug", "ls", "s3://sigv2-off/");
      assertThat(refused.output()).contains("Endpoint requires signature v4");

      String url = signurl("s3://sigv2-off/missing.txt", "+600");
      String offUrl = url.replace(":" + server.port() + "/", ":" + off.port() + "/");
      HttpResponse<String> presigned = fetch(offUrl);
      assertThat(presigned.statusCode()).isEqualTo(400);
      assertThat(presigned.body())
          .contains("<Code>InvalidRequest</Code>", "Please use AWS4-HMAC-SHA256");
    }
  }
}
