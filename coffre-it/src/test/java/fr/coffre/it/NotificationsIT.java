package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.TopicConfiguration;

/**
 * Bucket notifications end to end: a real server posts signed S3 events to a webhook receiver in
 * this test, through a receiver outage and a server restart, and refuses a target the operator did
 * not declare.
 */
class NotificationsIT {
  private static final String SECRET = "it-webhook-secret-0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path work;
  private static ServerProcess server;
  private static S3Client s3;
  private static int receiverPort;
  private static HttpServer receiver;

  /** Every request the receiver accepted: the body, and whether its signature was right. */
  private static final List<Delivery> received = new CopyOnWriteArrayList<>();

  record Delivery(String eventName, String bucket, String key, String versionId, boolean signed) {}

  @BeforeAll
  static void start() throws Exception {
    receiverPort = Ports.free();
    startReceiver();
    Path secret = Files.writeString(work.resolve("hook.secret"), SECRET + "\n");
    Path config = work.resolve("coffre.yaml");
    Files.writeString(
        config,
        """
        notifications:
          max-backoff: 2s
          targets:
            - name: it-hook
              url: http://127.0.0.1:%d/hook
              secret-file: %s
        """
            .formatted(receiverPort, secret));
    server = ServerProcess.start("512m", "--config", config.toString());
    s3 = S3Clients.modern(server.endpoint());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  private static void startReceiver() throws Exception {
    receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), receiverPort), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          String signature = ex.getRequestHeaders().getFirst("X-Coffre-Signature");
          JsonNode r = JSON.readTree(body).path("Records").path(0);
          received.add(
              new Delivery(
                  r.path("eventName").asText(),
                  r.at("/s3/bucket/name").asText(),
                  r.at("/s3/object/key").asText(),
                  r.at("/s3/object/versionId").asText(null),
                  signature != null
                      && MessageDigest.isEqual(
                          signature.getBytes(StandardCharsets.US_ASCII),
                          expectedSignature(body).getBytes(StandardCharsets.US_ASCII))
                      && "coffre:s3".equals(r.path("eventSource").asText())));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.start();
  }

  private static String expectedSignature(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The distinct (event, key) pairs received so far for a bucket. */
  private static Set<String> events(String bucket) {
    return received.stream()
        .filter(d -> d.bucket().equals(bucket))
        .map(d -> d.eventName() + " " + d.key())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static void awaitEvents(String bucket, Set<String> expected) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline) && !events(bucket).containsAll(expected)) {
      Thread.sleep(100);
    }
    assertThat(events(bucket)).isEqualTo(new TreeSet<>(expected));
    assertThat(received).allMatch(Delivery::signed, "every payload carries a valid signature");
  }

  private static Run aws(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", server.endpoint().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("AWS_CA_BUNDLE");
    pb.environment().put("AWS_ACCESS_KEY_ID", ServerProcess.ACCESS_KEY);
    pb.environment().put("AWS_SECRET_ACCESS_KEY", ServerProcess.SECRET_KEY);
    pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
    pb.environment().put("AWS_CONFIG_FILE", "/nonexistent");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out);
  }

  record Run(int code, String out) {}

  @Test
  void everyEvent_isDelivered_signed_throughAnOutageAndARestart() throws Exception {
    s3.createBucket(b -> b.bucket("events"));
    Run put =
        aws(
            "s3api",
            "put-bucket-notification-configuration",
            "--bucket",
            "events",
            "--notification-configuration",
            "{\"QueueConfigurations\":[{\"Id\":\"all\",\"QueueArn\":\"arn:coffre:sqs::it:it-hook\","
                + "\"Events\":[\"s3:ObjectCreated:*\",\"s3:ObjectRemoved:*\"]}]}");
    assertThat(put.code()).as(put.out()).isZero();
    var got = s3.getBucketNotificationConfiguration(b -> b.bucket("events"));
    assertThat(got.queueConfigurations()).hasSize(1);
    assertThat(got.queueConfigurations().get(0).id()).isEqualTo("all");
    assertThat(got.queueConfigurations().get(0).queueArn()).isEqualTo("arn:coffre:sqs::it:it-hook");

    // PUT, multipart, copy, delete; a key with a space shows form-encoded, as S3 writes it.
    s3.putObject(b -> b.bucket("events").key("docs/a b.txt"), RequestBody.fromString("hello"));
    var create = s3.createMultipartUpload(b -> b.bucket("events").key("big.bin"));
    List<CompletedPart> parts = new ArrayList<>();
    byte[][] chunks = {new byte[5 * 1024 * 1024], new byte[1024]};
    for (int n = 1; n <= 2; n++) {
      int num = n;
      var up =
          s3.uploadPart(
              b -> b.bucket("events").key("big.bin").uploadId(create.uploadId()).partNumber(num),
              RequestBody.fromBytes(chunks[n - 1]));
      parts.add(CompletedPart.builder().partNumber(n).eTag(up.eTag()).build());
    }
    s3.completeMultipartUpload(
        b ->
            b.bucket("events")
                .key("big.bin")
                .uploadId(create.uploadId())
                .multipartUpload(m -> m.parts(parts)));
    s3.copyObject(
        b ->
            b.sourceBucket("events")
                .sourceKey("docs/a b.txt")
                .destinationBucket("events")
                .destinationKey("copy.txt"));
    s3.deleteObject(b -> b.bucket("events").key("docs/a b.txt"));
    awaitEvents(
        "events",
        Set.of(
            "ObjectCreated:Put docs/a+b.txt",
            "ObjectCreated:CompleteMultipartUpload big.bin",
            "ObjectCreated:Copy copy.txt",
            "ObjectRemoved:Delete docs/a+b.txt"));

    // The receiver goes down: events wait in the outbox, retried with backoff, none lost.
    receiver.stop(0);
    s3.putObject(b -> b.bucket("events").key("during-outage"), RequestBody.fromString("x"));
    s3.deleteObject(b -> b.bucket("events").key("copy.txt"));
    Thread.sleep(4_000); // several failed attempts
    startReceiver();
    awaitEvents(
        "events",
        Set.of(
            "ObjectCreated:Put docs/a+b.txt",
            "ObjectCreated:CompleteMultipartUpload big.bin",
            "ObjectCreated:Copy copy.txt",
            "ObjectRemoved:Delete docs/a+b.txt",
            "ObjectCreated:Put during-outage",
            "ObjectRemoved:Delete copy.txt"));

    // Undelivered events survive a server restart, and are delivered by the next process.
    receiver.stop(0);
    s3.putObject(b -> b.bucket("events").key("before-restart"), RequestBody.fromString("y"));
    server.terminate();
    assertThat(server.waitForExit(Duration.ofSeconds(30))).as("stopped").isNotEqualTo(-1);
    try (var pending = Files.list(server.dataDir().resolve("notifications/outbox"))) {
      assertThat(pending.filter(p -> p.toString().endsWith(".event")).count()).isEqualTo(1);
    }
    server.launch();
    startReceiver();
    awaitEvents(
        "events",
        Set.of(
            "ObjectCreated:Put docs/a+b.txt",
            "ObjectCreated:CompleteMultipartUpload big.bin",
            "ObjectCreated:Copy copy.txt",
            "ObjectRemoved:Delete docs/a+b.txt",
            "ObjectCreated:Put during-outage",
            "ObjectRemoved:Delete copy.txt",
            "ObjectCreated:Put before-restart"));

    // Each attempt is in the bucket owner's audit chain: the failures of the outage too.
    Path export = work.resolve("audit.jsonl");
    Process curl =
        new ProcessBuilder(
                "curl",
                "-sS",
                "-o",
                export.toString(),
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
    String status = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(curl.waitFor()).as(status).isZero();
    assertThat(status).endsWith("200");
    List<String> operations = new ArrayList<>();
    for (String line : Files.readAllLines(export, StandardCharsets.UTF_8)) {
      JsonNode r = JSON.readTree(line);
      if ("notification".equals(r.path("source").asText())) {
        operations.add(r.path("operation").asText() + " " + r.path("key").asText());
      }
    }
    assertThat(operations)
        .contains(
            "NotificationDelivered big.bin",
            "NotificationFailed during-outage",
            "NotificationDelivered during-outage",
            "NotificationDelivered before-restart");
  }

  @Test
  void versionedDelete_reportsItsDeleteMarker_andFiltersApply() throws Exception {
    s3.createBucket(b -> b.bucket("versioned-events"));
    s3.putBucketVersioning(
        b ->
            b.bucket("versioned-events")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    TopicConfiguration markers =
        TopicConfiguration.builder()
            .id("markers")
            .topicArn("it-hook")
            .eventsWithStrings("s3:ObjectRemoved:DeleteMarkerCreated")
            .filter(
                f ->
                    f.key(
                        k ->
                            k.filterRules(
                                FilterRule.builder()
                                    .name(FilterRuleName.PREFIX)
                                    .value("logs/")
                                    .build())))
            .build();
    s3.putBucketNotificationConfiguration(
        b ->
            b.bucket("versioned-events")
                .notificationConfiguration(n -> n.topicConfigurations(markers)));
    s3.putObject(b -> b.bucket("versioned-events").key("logs/x"), RequestBody.fromString("1"));
    s3.putObject(b -> b.bucket("versioned-events").key("other/y"), RequestBody.fromString("2"));
    var marker = s3.deleteObject(b -> b.bucket("versioned-events").key("logs/x"));
    s3.deleteObject(b -> b.bucket("versioned-events").key("other/y"));
    s3.putObject(b -> b.bucket("versioned-events").key("logs/last"), RequestBody.fromString("3"));
    s3.deleteObject(b -> b.bucket("versioned-events").key("logs/last"));
    awaitEvents(
        "versioned-events",
        Set.of(
            "ObjectRemoved:DeleteMarkerCreated logs/x",
            "ObjectRemoved:DeleteMarkerCreated logs/last"));
    assertThat(received)
        .filteredOn(d -> d.key().equals("logs/x"))
        .extracting(Delivery::versionId)
        .containsOnly(marker.versionId());
  }

  @Test
  void undeclaredTarget_isRefusedAtConfigurationTime() throws Exception {
    s3.createBucket(b -> b.bucket("exfiltration"));
    assertThatThrownBy(
            () ->
                s3.putBucketNotificationConfiguration(
                    b ->
                        b.bucket("exfiltration")
                            .notificationConfiguration(
                                n ->
                                    n.queueConfigurations(
                                        QueueConfiguration.builder()
                                            .queueArn("arn:coffre:sqs::it:attacker")
                                            .eventsWithStrings("s3:ObjectCreated:*")
                                            .build()))))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
              assertThat(e.awsErrorDetails().errorMessage())
                  .contains("not one the operator allows");
            });
    Run cli =
        aws(
            "s3api",
            "put-bucket-notification-configuration",
            "--bucket",
            "exfiltration",
            "--notification-configuration",
            "{\"TopicConfigurations\":[{\"TopicArn\":\"https://203.0.113.9/steal\","
                + "\"Events\":[\"s3:ObjectCreated:*\"]}]}");
    assertThat(cli.code()).isNotZero();
    assertThat(cli.out()).contains("InvalidArgument");
    assertThat(
            s3.getBucketNotificationConfiguration(b -> b.bucket("exfiltration"))
                .hasQueueConfigurations())
        .isFalse();
  }
}
