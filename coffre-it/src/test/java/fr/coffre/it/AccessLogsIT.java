package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLoggingStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Server access logging end to end: a real server (flushing every second) writes S3-format log
 * objects into the target bucket for requests made with aws-cli and the SDK; a target of another
 * tenant is refused; turning logging off stops new lines.
 */
class AccessLogsIT {
  @TempDir static Path work;
  private static ServerProcess server;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.startWithEnv(Map.of("COFFRE_ACCESS_LOG_FLUSH", "1"));
    s3 = S3Clients.modern(server.endpoint());
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static String aws(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url"));
    cmd.add(server.endpoint().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("AWS_CA_BUNDLE");
    pb.environment().put("AWS_ACCESS_KEY_ID", ServerProcess.ACCESS_KEY);
    pb.environment().put("AWS_SECRET_ACCESS_KEY", ServerProcess.SECRET_KEY);
    pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
    pb.environment().put("AWS_CONFIG_FILE", work.resolve("aws-config").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("aws %s: %s", String.join(" ", args), out).isZero();
    return out;
  }

  /** Every line of every log object under {@code prefix} in {@code bucket}. */
  private static List<String> lines(String bucket, String prefix) {
    List<String> all = new ArrayList<>();
    for (S3Object o : s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents()) {
      String text = s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asUtf8String();
      all.addAll(text.lines().toList());
    }
    return all;
  }

  private static List<String> awaitLines(String bucket, String prefix, String... fragments)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    List<String> got = lines(bucket, prefix);
    while (Instant.now().isBefore(deadline) && !containsAll(got, fragments)) {
      Thread.sleep(250);
      got = lines(bucket, prefix);
    }
    return got;
  }

  private static boolean containsAll(List<String> lines, String... fragments) {
    for (String f : fragments) {
      if (lines.stream().noneMatch(l -> l.contains(f))) {
        return false;
      }
    }
    return true;
  }

  @Test
  void awsCli_enablesLogging_andRequestsLandAsS3FormatLines() throws Exception {
    s3.createBucket(b -> b.bucket("cli-src"));
    s3.createBucket(b -> b.bucket("cli-logs"));
    aws(
        "s3api",
        "put-bucket-logging",
        "--bucket",
        "cli-src",
        "--bucket-logging-status",
        "{\"LoggingEnabled\":{\"TargetBucket\":\"cli-logs\",\"TargetPrefix\":\"access/\"}}");
    String status = aws("s3api", "get-bucket-logging", "--bucket", "cli-src");
    assertThat(status).contains("\"TargetBucket\": \"cli-logs\"").contains("access/");

    Path file = Files.writeString(work.resolve("hello.txt"), "hello access log");
    aws("s3", "cp", file.toString(), "s3://cli-src/dir/hello.txt");
    aws("s3", "cp", "s3://cli-src/dir/hello.txt", work.resolve("back.txt").toString());
    assertThatThrownBy(() -> s3.getObject(b -> b.bucket("cli-src").key("missing")).close())
        .isInstanceOf(S3Exception.class);

    List<String> lines =
        awaitLines(
            "cli-logs",
            "access/",
            "REST.PUT.OBJECT dir/hello.txt",
            "REST.GET.OBJECT dir/hello.txt",
            "REST.GET.OBJECT missing");
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains(" cli-src [")
                    .contains(" REST.PUT.OBJECT dir/hello.txt \"PUT /cli-src/dir/hello.txt")
                    .contains("\" 200 - ")
                    .contains("\"aws-cli/"))
        .anySatisfy(l -> assertThat(l).contains("REST.GET.OBJECT dir/hello.txt").contains(" 200 "))
        .anySatisfy(
            l -> assertThat(l).contains("REST.GET.OBJECT missing").contains(" 404 NoSuchKey "));
    // The log objects' own writes are not logged, and the target is not logged at all.
    assertThat(lines).noneMatch(l -> l.contains(" cli-logs ["));
    assertThat(s3.listObjectsV2(b -> b.bucket("cli-logs")).contents())
        .allSatisfy(
            o ->
                assertThat(o.key()).matches("access/\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-.*"));
  }

  @Test
  void deliveries_areInTheTenantsAuditTrail() throws Exception {
    s3.createBucket(b -> b.bucket("audit-src"));
    s3.putBucketLogging(
        b ->
            b.bucket("audit-src")
                .bucketLoggingStatus(
                    s -> s.loggingEnabled(e -> e.targetBucket("audit-src").targetPrefix("self/"))));
    s3.putObject(b -> b.bucket("audit-src").key("k"), RequestBody.fromString("x"));
    assertThat(awaitLines("audit-src", "self/", "REST.PUT.OBJECT k")).isNotEmpty();
    String key =
        s3.listObjectsV2(b -> b.bucket("audit-src").prefix("self/")).contents().get(0).key();
    // A bucket that logs into itself: its log objects' writes are not logged in turn (a loop
    // would show after the next flushes).
    Thread.sleep(2_500);
    assertThat(lines("audit-src", "self/")).noneMatch(l -> l.contains("REST.PUT.OBJECT self/"));

    Path out = work.resolve("audit.jsonl");
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
                ServerProcess.ACCESS_KEY + ":" + ServerProcess.SECRET_KEY,
                "-H",
                "x-amz-content-sha256: UNSIGNED-PAYLOAD",
                server.endpoint() + "/?coffre-audit=1")
            .redirectErrorStream(true)
            .start();
    String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).isZero();
    assertThat(status).as(Files.readString(out)).endsWith("200");
    assertThat(Files.readAllLines(out))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("\"operation\":\"AccessLogDelivery\"")
                    .contains("\"key\":\"" + key + "\""));
  }

  @Test
  void sdk_turnsLoggingOff_andNoNewLinesFollow() throws Exception {
    s3.createBucket(b -> b.bucket("sdk-src"));
    s3.createBucket(b -> b.bucket("sdk-logs"));
    s3.putBucketLogging(
        b ->
            b.bucket("sdk-src")
                .bucketLoggingStatus(
                    s ->
                        s.loggingEnabled(
                            e ->
                                e.targetBucket("sdk-logs")
                                    .targetPrefix("sdk/")
                                    .targetObjectKeyFormat(
                                        f ->
                                            f.partitionedPrefix(
                                                p -> p.partitionDateSource("EventTime"))))));
    var got = s3.getBucketLogging(b -> b.bucket("sdk-src")).loggingEnabled();
    assertThat(got.targetBucket()).isEqualTo("sdk-logs");
    assertThat(got.targetPrefix()).isEqualTo("sdk/");
    s3.putObject(b -> b.bucket("sdk-src").key("before"), RequestBody.fromString("1"));
    List<String> lines = awaitLines("sdk-logs", "sdk/", "REST.PUT.OBJECT before");
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("REST.PUT.OBJECT before"));
    assertThat(s3.listObjectsV2(b -> b.bucket("sdk-logs")).contents())
        .allSatisfy(o -> assertThat(o.key()).startsWith("sdk/").contains("/us-east-1/sdk-src/"));

    s3.putBucketLogging(
        b -> b.bucket("sdk-src").bucketLoggingStatus(BucketLoggingStatus.builder().build()));
    assertThat(s3.getBucketLogging(b -> b.bucket("sdk-src")).loggingEnabled()).isNull();
    // The PutBucketLogging that turned it off may still be logged; what follows is not.
    Thread.sleep(1_500);
    s3.putObject(b -> b.bucket("sdk-src").key("after"), RequestBody.fromString("2"));
    Thread.sleep(3_000);
    assertThat(lines("sdk-logs", "sdk/")).noneMatch(l -> l.contains(" after "));
  }

  @Test
  void targets_ofAnotherTenant_orMissing_orLoggedThemselves_areRefused() throws Exception {
    Identities ids = new Identities(server);
    ids.tenant("town-b");
    S3Client bob = ids.user("town-b", "bob", Identities.FULL_ACCESS).client(server);
    try {
      bob.createBucket(b -> b.bucket("bob-logs"));
      s3.createBucket(b -> b.bucket("root-src"));
      assertThatThrownBy(
              () ->
                  s3.putBucketLogging(
                      b ->
                          b.bucket("root-src")
                              .bucketLoggingStatus(
                                  s ->
                                      s.loggingEnabled(
                                          e -> e.targetBucket("bob-logs").targetPrefix("x/")))))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode())
                    .isEqualTo("InvalidTargetBucketForLogging");
              });
      assertThatThrownBy(
              () ->
                  s3.putBucketLogging(
                      b ->
                          b.bucket("root-src")
                              .bucketLoggingStatus(
                                  s ->
                                      s.loggingEnabled(
                                          e -> e.targetBucket("no-such-logs").targetPrefix("")))))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode())
                      .isEqualTo("InvalidTargetBucketForLogging"));
      assertThatThrownBy(
              () ->
                  s3.putBucketLogging(
                      b ->
                          b.bucket("no-such-src")
                              .bucketLoggingStatus(
                                  s ->
                                      s.loggingEnabled(
                                          e -> e.targetBucket("root-src").targetPrefix("")))))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket"));
      // Bob may not read or set the logging of a bucket he does not own.
      assertThatThrownBy(() -> bob.getBucketLogging(b -> b.bucket("root-src")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
      assertThat(s3.getBucketLogging(b -> b.bucket("root-src")).loggingEnabled()).isNull();
    } finally {
      bob.close();
    }
  }
}
