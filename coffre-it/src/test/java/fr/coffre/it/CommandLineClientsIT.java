package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** aws-cli (old and new), rclone and s3cmd, the programs people use, against a real server. */
class CommandLineClientsIT {
  private static ServerProcess server;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Result(int code, String output) {}

  private static Result run(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.remove("AWS_CA_BUNDLE"); // a CA bundle makes rclone refuse plain http
    env.put("AWS_ACCESS_KEY_ID", ServerProcess.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", ServerProcess.SECRET_KEY);
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", work.resolve("aws-config").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  private static Path randomFile(String name, int size) throws IOException {
    Path f = work.resolve(name);
    Files.createDirectories(f.getParent());
    try (InputStream in = CoreScenariosIT.content(size, name.hashCode())) {
      Files.copy(in, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return f;
  }

  private static String sha(Path p) throws Exception {
    return CoreScenariosIT.sha256(Files.newInputStream(p));
  }

  @ParameterizedTest
  @ValueSource(strings = {"new", "old"})
  void awsCli_copySyncAndRemove_work(String which) throws Exception {
    String aws =
        which.equals("old")
            ? System.getenv().getOrDefault("COFFRE_IT_OLD_AWS", "/usr/bin/aws")
            : "aws";
    Result version = run(List.of("sh", "-c", "command -v " + aws + " && " + aws + " --version"));
    assumeTrue(version.code() == 0, "aws-cli (" + which + ") is not installed");
    String endpoint = server.endpoint().toString();
    String bucket = "cli-" + which;
    assertThat(run(List.of(aws, "--endpoint-url", endpoint, "s3", "mb", "s3://" + bucket)).code())
        .isZero();
    // 300 MiB: a multipart upload of 38 parts; the new aws-cli adds CRC checksums to each part.
    Path big = randomFile(which + "/big.bin", 300 * 1024 * 1024);
    Result up =
        run(
            List.of(
                aws,
                "--endpoint-url",
                endpoint,
                "s3",
                "cp",
                big.toString(),
                "s3://" + bucket + "/big.bin"));
    assertThat(up.code()).as(up.output()).isZero();
    Result head =
        run(
            List.of(
                aws,
                "--endpoint-url",
                endpoint,
                "s3api",
                "head-object",
                "--bucket",
                bucket,
                "--key",
                "big.bin",
                "--checksum-mode",
                "ENABLED"));
    assertThat(head.code()).as(head.output()).isZero();
    assertThat(head.output())
        .contains("\"ContentLength\": 314572800")
        .containsPattern("[0-9a-f]{32}-38");
    if (sendsDefaultChecksums(version.output())) {
      // botocore >= 1.36 / aws-cli >= 2.23 chose a CRC for the upload: the server stored it.
      assertThat(head.output()).containsPattern("\"ChecksumCRC[0-9A-Z]*\": \"[A-Za-z0-9+/=]+");
    }
    Path back = work.resolve(which + "/back.bin");
    Result down =
        run(
            List.of(
                aws,
                "--endpoint-url",
                endpoint,
                "s3",
                "cp",
                "s3://" + bucket + "/big.bin",
                back.toString()));
    assertThat(down.code()).as(down.output()).isZero();
    assertThat(sha(back)).isEqualTo(sha(big));
    Path tree = work.resolve(which + "/tree");
    for (int i = 0; i < 5; i++) {
      randomFile(which + "/tree/d" + (i % 2) + "/f" + i, 1000 * (i + 1));
    }
    Result sync1 =
        run(
            List.of(
                aws,
                "--endpoint-url",
                endpoint,
                "s3",
                "sync",
                tree.toString(),
                "s3://" + bucket + "/tree"));
    assertThat(sync1.code()).as(sync1.output()).isZero();
    assertThat(sync1.output()).contains("upload:");
    Result sync2 =
        run(
            List.of(
                aws,
                "--endpoint-url",
                endpoint,
                "s3",
                "sync",
                tree.toString(),
                "s3://" + bucket + "/tree"));
    assertThat(sync2.code()).isZero();
    assertThat(sync2.output()).doesNotContain("upload:");
    Result ls =
        run(List.of(aws, "--endpoint-url", endpoint, "s3", "ls", "--recursive", "s3://" + bucket));
    assertThat(ls.output()).contains("tree/d0/f0", "tree/d1/f3", "big.bin");
    assertThat(
            run(List.of(
                    aws, "--endpoint-url", endpoint, "s3", "rm", "--recursive", "s3://" + bucket))
                .code())
        .isZero();
    Result rb = run(List.of(aws, "--endpoint-url", endpoint, "s3", "rb", "s3://" + bucket));
    assertThat(rb.code()).as(rb.output()).isZero();
  }

  /** Whether this aws-cli adds CRC checksums by default (botocore 1.36+, aws-cli v2 2.23+). */
  static boolean sendsDefaultChecksums(String versionOutput) {
    java.util.regex.Matcher botocore =
        java.util.regex.Pattern.compile("botocore/1\\.(\\d+)").matcher(versionOutput);
    if (botocore.find()) {
      return Integer.parseInt(botocore.group(1)) >= 36;
    }
    java.util.regex.Matcher v2 =
        java.util.regex.Pattern.compile("aws-cli/2\\.(\\d+)").matcher(versionOutput);
    return v2.find() && Integer.parseInt(v2.group(1)) >= 23;
  }

  @Test
  void rclone_syncTwiceThenCheck_secondSyncTransfersNothing() throws Exception {
    assumeTrue(
        run(List.of("sh", "-c", "command -v rclone")).code() == 0, "rclone is not installed");
    Path conf = work.resolve("rclone.conf");
    Files.writeString(
        conf,
        "[coffre]\ntype = s3\nprovider = Other\naccess_key_id = "
            + ServerProcess.ACCESS_KEY
            + "\nsecret_access_key = "
            + ServerProcess.SECRET_KEY
            + "\nendpoint = "
            + server.endpoint()
            + "\nregion = us-east-1\n");
    Path tree = work.resolve("rtree");
    for (int i = 0; i < 20; i++) {
      randomFile("rtree/sub" + (i % 3) + "/file " + i + ".dat", 10_000 * (i + 1));
    }
    // 300 MiB: above rclone's 200 MiB cutoff, so a multipart upload (5 MiB chunks, 4 at a time).
    randomFile("rtree/large.bin", 300 * 1024 * 1024);
    List<String> base = new ArrayList<>(List.of("rclone", "--config", conf.toString()));
    List<String> mkdir = new ArrayList<>(base);
    mkdir.addAll(List.of("mkdir", "coffre:rclone"));
    assertThat(run(mkdir).code()).isZero();
    List<String> sync = new ArrayList<>(base);
    sync.addAll(List.of("sync", tree.toString(), "coffre:rclone/tree", "--stats-one-line", "-v"));
    Result first = run(sync);
    assertThat(first.code()).as(first.output()).isZero();
    assertThat(first.output()).contains("Copied");
    Result second = run(sync);
    assertThat(second.code()).as(second.output()).isZero();
    assertThat(second.output()).doesNotContain("Copied");
    List<String> check = new ArrayList<>(base);
    check.addAll(List.of("check", tree.toString(), "coffre:rclone/tree"));
    Result checked = run(check);
    assertThat(checked.code()).as(checked.output()).isZero();
    assertThat(checked.output()).contains("0 differences found");
  }

  @Test
  void s3cmd_putGetListDelete_work() throws Exception {
    assumeTrue(run(List.of("sh", "-c", "command -v s3cmd")).code() == 0, "s3cmd is not installed");
    String host = "127.0.0.1:" + server.port();
    List<String> base =
        List.of(
            "s3cmd",
            "--config=/dev/null",
            "--host=" + host,
            "--host-bucket=" + host,
            "--no-ssl",
            "--access_key=" + ServerProcess.ACCESS_KEY,
            "--secret_key=" + ServerProcess.SECRET_KEY,
            "--region=us-east-1");
    Path file = randomFile("s3cmd/file.bin", 300_000);
    Path back = work.resolve("s3cmd/back.bin");
    for (List<String> args :
        List.of(
            List.of("mb", "s3://s3cmd-bucket"),
            List.of("put", file.toString(), "s3://s3cmd-bucket/f.bin"),
            List.of("get", "--force", "s3://s3cmd-bucket/f.bin", back.toString()))) {
      List<String> cmd = new ArrayList<>(base);
      cmd.addAll(args);
      Result r = run(cmd);
      assertThat(r.code()).as(String.join(" ", args) + "\n" + r.output()).isZero();
    }
    assertThat(sha(back)).isEqualTo(sha(file));
    List<String> ls = new ArrayList<>(base);
    ls.addAll(List.of("ls", "s3://s3cmd-bucket/"));
    assertThat(run(ls).output()).contains("s3://s3cmd-bucket/f.bin");
    List<String> del = new ArrayList<>(base);
    del.addAll(List.of("del", "s3://s3cmd-bucket/f.bin"));
    assertThat(run(del).code()).isZero();
  }

  /** The class of a bucket as the server reports it on HeadBucket. */
  private static String classOf(String bucket) {
    try (var s3 = S3Clients.legacy(server.endpoint())) {
      return s3.headBucket(b -> b.bucket(bucket))
          .sdkHttpResponse()
          .firstMatchingHeader("x-coffre-sensitivity-class")
          .orElse(null);
    }
  }

  @Test
  void sensitivityClass_asTheLocationConstraint_fromAwsCliS3cmdAndRclone() throws Exception {
    String endpoint = server.endpoint().toString();
    String aws = System.getenv().getOrDefault("COFFRE_IT_OLD_AWS", "/usr/bin/aws");
    if (run(List.of("sh", "-c", "command -v " + aws)).code() == 0) {
      Result made =
          run(
              List.of(
                  aws,
                  "--endpoint-url",
                  endpoint,
                  "s3api",
                  "create-bucket",
                  "--bucket",
                  "cls-aws",
                  "--create-bucket-configuration",
                  "LocationConstraint=public"));
      assertThat(made.code()).as(made.output()).isZero();
      assertThat(classOf("cls-aws")).isEqualTo("public");
      Result refused =
          run(
              List.of(
                  aws,
                  "--endpoint-url",
                  endpoint,
                  "s3api",
                  "create-bucket",
                  "--bucket",
                  "cls-mars",
                  "--create-bucket-configuration",
                  "LocationConstraint=mars"));
      assertThat(refused.code()).isNotZero();
      assertThat(refused.output()).contains("IllegalLocationConstraint", "sensitivity classes");
    }
    if (run(List.of("sh", "-c", "command -v s3cmd")).code() == 0) {
      String host = "127.0.0.1:" + server.port();
      Result made =
          run(
              List.of(
                  "s3cmd",
                  "--config=/dev/null",
                  "--host=" + host,
                  "--host-bucket=" + host,
                  "--no-ssl",
                  "--access_key=" + ServerProcess.ACCESS_KEY,
                  "--secret_key=" + ServerProcess.SECRET_KEY,
                  "--region=us-east-1",
                  "--bucket-location=public",
                  "mb",
                  "s3://cls-s3cmd"));
      assertThat(made.code()).as(made.output()).isZero();
      assertThat(classOf("cls-s3cmd")).isEqualTo("public");
    }
    if (run(List.of("sh", "-c", "command -v rclone")).code() == 0) {
      Path conf = work.resolve("rclone-class.conf");
      Files.writeString(
          conf,
          "[coffre]\ntype = s3\nprovider = Other\naccess_key_id = "
              + ServerProcess.ACCESS_KEY
              + "\nsecret_access_key = "
              + ServerProcess.SECRET_KEY
              + "\nendpoint = "
              + endpoint
              + "\nregion = us-east-1\nlocation_constraint = public\n");
      Result made =
          run(List.of("rclone", "--config", conf.toString(), "mkdir", "coffre:cls-rclone"));
      assertThat(made.code()).as(made.output()).isZero();
      assertThat(classOf("cls-rclone")).isEqualTo("public");
    }
  }
}
