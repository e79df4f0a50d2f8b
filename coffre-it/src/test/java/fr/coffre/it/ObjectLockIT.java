package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Object Lock through the AWS SDK v2, the command line and aws-cli 2.9, against a real server: the
 * bucket's default retention on PUT and multipart completion, explicit retentions and legal holds,
 * and every removal path refused while a version is locked (DeleteObject and DeleteObjects by
 * version, GOVERNANCE bypass only with the right, DeleteBucket, KMS key destruction, lifecycle).
 */
class ObjectLockIT {
  private static ServerProcess server;
  private static S3Client s3;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start("384m");
    s3 = S3Clients.modern(server.endpoint());
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  private static Instant inOneDay() {
    return Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
  }

  private static void lockedBucket(S3Client client, String bucket, ObjectLockRetentionMode mode) {
    client.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
    if (mode != null) {
      client.putObjectLockConfiguration(
          b ->
              b.bucket(bucket)
                  .objectLockConfiguration(
                      c ->
                          c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                              .rule(r -> r.defaultRetention(d -> d.mode(mode).days(1)))));
    }
  }

  private static String put(S3Client client, String bucket, String key, String body) {
    return client
        .putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body))
        .versionId();
  }

  private static S3Exception failure(Runnable call) {
    S3Exception e = catchThrowableOfType(S3Exception.class, call::run);
    assertThat(e).as("the call should have failed").isNotNull();
    return e;
  }

  private static void accessDenied(Runnable call) {
    S3Exception e = failure(call);
    assertThat(e.statusCode()).isEqualTo(403);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
  }

  private static String get(String bucket, String key, String versionId) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId)).asUtf8String();
  }

  private static Map<String, String> cliEnv() {
    return Map.of(
        "COFFRE_ADMIN_URL",
        server.adminEndpoint().toString(),
        "COFFRE_ADMIN_TOKEN",
        ServerProcess.ADMIN_TOKEN);
  }

  @Test
  void defaultRetention_appliesToPutsAndMultipart_explicitHeadersWin_andReadBack() {
    String bucket = "lock-default";
    lockedBucket(s3, bucket, ObjectLockRetentionMode.GOVERNANCE);
    assertThat(s3.getBucketVersioning(b -> b.bucket(bucket)).status())
        .isEqualTo(BucketVersioningStatus.ENABLED);
    var config = s3.getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration();
    assertThat(config.objectLockEnabled()).isEqualTo(ObjectLockEnabled.ENABLED);
    assertThat(config.rule().defaultRetention().mode())
        .isEqualTo(ObjectLockRetentionMode.GOVERNANCE);
    assertThat(config.rule().defaultRetention().days()).isEqualTo(1);
    // A locked bucket cannot stop versioning.
    assertThat(
            failure(
                    () ->
                        s3.putBucketVersioning(
                            b ->
                                b.bucket(bucket)
                                    .versioningConfiguration(
                                        v -> v.status(BucketVersioningStatus.SUSPENDED))))
                .statusCode())
        .isIn(400, 409);

    Instant before = Instant.now();
    String v1 = put(s3, bucket, "plain", "under the default");
    var head = s3.headObject(b -> b.bucket(bucket).key("plain").versionId(v1));
    assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
    assertThat(head.objectLockRetainUntilDate())
        .isBetween(
            before.plus(Duration.ofDays(1)).minusSeconds(5),
            Instant.now().plus(Duration.ofDays(1)).plusSeconds(5));
    assertThat(head.objectLockLegalHoldStatus()).isNull();
    var retention = s3.getObjectRetention(b -> b.bucket(bucket).key("plain")).retention();
    assertThat(retention.mode()).isEqualTo(ObjectLockRetentionMode.GOVERNANCE);

    // Multipart completion gets the default too.
    var created = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp"));
    byte[] part = new byte[5 * 1024 * 1024];
    var p1 =
        s3.uploadPart(
            b -> b.bucket(bucket).key("mp").uploadId(created.uploadId()).partNumber(1),
            RequestBody.fromBytes(part));
    var done =
        s3.completeMultipartUpload(
            b ->
                b.bucket(bucket)
                    .key("mp")
                    .uploadId(created.uploadId())
                    .multipartUpload(
                        m ->
                            m.parts(
                                CompletedPart.builder().partNumber(1).eTag(p1.eTag()).build())));
    var mpHead = s3.headObject(b -> b.bucket(bucket).key("mp").versionId(done.versionId()));
    assertThat(mpHead.objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
    assertThat(mpHead.objectLockRetainUntilDate()).isAfter(before.plus(Duration.ofHours(23)));

    // Explicit headers win over the default; GET and HEAD report them.
    Instant until = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
    var explicit =
        s3.putObject(
            b ->
                b.bucket(bucket)
                    .key("explicit")
                    .objectLockMode(ObjectLockMode.COMPLIANCE)
                    .objectLockRetainUntilDate(until)
                    .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON),
            RequestBody.fromString("explicit"));
    var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("explicit")).response();
    assertThat(got.objectLockMode()).isEqualTo(ObjectLockMode.COMPLIANCE);
    assertThat(got.objectLockRetainUntilDate()).isEqualTo(until);
    assertThat(got.objectLockLegalHoldStatus()).isEqualTo(ObjectLockLegalHoldStatus.ON);
    assertThat(
            s3.getObjectLegalHold(
                    b -> b.bucket(bucket).key("explicit").versionId(explicit.versionId()))
                .legalHold()
                .status())
        .isEqualTo(ObjectLockLegalHoldStatus.ON);
    var r = s3.getObjectRetention(b -> b.bucket(bucket).key("explicit")).retention();
    assertThat(r.mode()).isEqualTo(ObjectLockRetentionMode.COMPLIANCE);
    assertThat(r.retainUntilDate()).isEqualTo(until);

    // A bucket without Object Lock refuses lock headers; a retention date in the past is refused.
    s3.createBucket(b -> b.bucket("lock-none"));
    S3Exception noLock =
        failure(
            () ->
                s3.putObject(
                    b ->
                        b.bucket("lock-none")
                            .key("k")
                            .objectLockMode(ObjectLockMode.GOVERNANCE)
                            .objectLockRetainUntilDate(until),
                    RequestBody.fromString("x")));
    assertThat(noLock.statusCode()).isEqualTo(400);
    assertThat(
            failure(() -> s3.getObjectLockConfiguration(b -> b.bucket("lock-none"))).statusCode())
        .isEqualTo(404);
    S3Exception past =
        failure(
            () ->
                s3.putObject(
                    b ->
                        b.bucket(bucket)
                            .key("k")
                            .objectLockMode(ObjectLockMode.GOVERNANCE)
                            .objectLockRetainUntilDate(Instant.now().minusSeconds(60)),
                    RequestBody.fromString("x")));
    assertThat(past.statusCode()).isEqualTo(400);
  }

  @Test
  void governance_refusesDeletion_givesWayToTheRootsBypass_andRetentionOnlyExtends() {
    String bucket = "lock-gov";
    lockedBucket(s3, bucket, ObjectLockRetentionMode.GOVERNANCE);
    String v1 = put(s3, bucket, "doc", "one");
    String v2 = put(s3, bucket, "doc", "two");

    accessDenied(() -> s3.deleteObject(b -> b.bucket(bucket).key("doc").versionId(v1)));
    var batch =
        s3.deleteObjects(
            b ->
                b.bucket(bucket)
                    .delete(
                        d ->
                            d.objects(
                                ObjectIdentifier.builder().key("doc").versionId(v2).build())));
    assertThat(batch.deleted()).isEmpty();
    assertThat(batch.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.code()).isEqualTo("AccessDenied"));
    assertThat(get(bucket, "doc", v1)).isEqualTo("one");
    assertThat(get(bucket, "doc", v2)).isEqualTo("two");

    // A DELETE without version only adds a marker: allowed, nothing removed.
    var marker = s3.deleteObject(b -> b.bucket(bucket).key("doc"));
    assertThat(marker.deleteMarker()).isTrue();
    assertThat(get(bucket, "doc", v2)).isEqualTo("two");

    // Shortening needs the bypass; extending does not.
    Instant later = inOneDay().plus(Duration.ofDays(2));
    s3.putObjectRetention(
        b ->
            b.bucket(bucket)
                .key("doc")
                .versionId(v1)
                .retention(x -> x.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(later)));
    assertThat(
            s3.getObjectRetention(b -> b.bucket(bucket).key("doc").versionId(v1))
                .retention()
                .retainUntilDate())
        .isEqualTo(later);
    Instant sooner = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    accessDenied(
        () ->
            s3.putObjectRetention(
                b ->
                    b.bucket(bucket)
                        .key("doc")
                        .versionId(v1)
                        .retention(
                            x ->
                                x.mode(ObjectLockRetentionMode.GOVERNANCE)
                                    .retainUntilDate(sooner))));
    s3.putObjectRetention(
        b ->
            b.bucket(bucket)
                .key("doc")
                .versionId(v1)
                .bypassGovernanceRetention(true)
                .retention(
                    x -> x.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(sooner)));
    assertThat(
            s3.getObjectRetention(b -> b.bucket(bucket).key("doc").versionId(v1))
                .retention()
                .retainUntilDate())
        .isEqualTo(sooner);

    // The root may bypass GOVERNANCE: by DeleteObject and by DeleteObjects.
    s3.deleteObject(b -> b.bucket(bucket).key("doc").versionId(v1).bypassGovernanceRetention(true));
    assertThat(failure(() -> get(bucket, "doc", v1)).statusCode()).isIn(400, 404);
    var bypassed =
        s3.deleteObjects(
            b ->
                b.bucket(bucket)
                    .bypassGovernanceRetention(true)
                    .delete(
                        d ->
                            d.objects(
                                ObjectIdentifier.builder().key("doc").versionId(v2).build())));
    assertThat(bypassed.errors()).isEmpty();
    assertThat(bypassed.deleted()).extracting(d -> d.versionId()).containsExactly(v2);
  }

  @Test
  void compliance_refusesDeletionEvenWithBypass_canBeExtendedNeverShortened() {
    String bucket = "lock-comp";
    lockedBucket(s3, bucket, null);
    Instant until = inOneDay();
    String v =
        s3.putObject(
                b ->
                    b.bucket(bucket)
                        .key("record")
                        .objectLockMode(ObjectLockMode.COMPLIANCE)
                        .objectLockRetainUntilDate(until),
                RequestBody.fromString("kept"))
            .versionId();
    accessDenied(() -> s3.deleteObject(b -> b.bucket(bucket).key("record").versionId(v)));
    accessDenied(
        () ->
            s3.deleteObject(
                b -> b.bucket(bucket).key("record").versionId(v).bypassGovernanceRetention(true)));
    var batch =
        s3.deleteObjects(
            b ->
                b.bucket(bucket)
                    .bypassGovernanceRetention(true)
                    .delete(
                        d ->
                            d.objects(
                                ObjectIdentifier.builder().key("record").versionId(v).build())));
    assertThat(batch.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.code()).isEqualTo("AccessDenied"));

    Instant sooner = until.minus(Duration.ofHours(1));
    for (boolean bypass : new boolean[] {false, true}) {
      accessDenied(
          () ->
              s3.putObjectRetention(
                  b ->
                      b.bucket(bucket)
                          .key("record")
                          .versionId(v)
                          .bypassGovernanceRetention(bypass)
                          .retention(
                              x ->
                                  x.mode(ObjectLockRetentionMode.COMPLIANCE)
                                      .retainUntilDate(sooner))));
      // Nor can it become GOVERNANCE, even later.
      accessDenied(
          () ->
              s3.putObjectRetention(
                  b ->
                      b.bucket(bucket)
                          .key("record")
                          .versionId(v)
                          .bypassGovernanceRetention(bypass)
                          .retention(
                              x ->
                                  x.mode(ObjectLockRetentionMode.GOVERNANCE)
                                      .retainUntilDate(until.plus(Duration.ofDays(1))))));
    }
    Instant extended = until.plus(Duration.ofDays(10));
    s3.putObjectRetention(
        b ->
            b.bucket(bucket)
                .key("record")
                .versionId(v)
                .retention(
                    x -> x.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(extended)));
    assertThat(s3.headObject(b -> b.bucket(bucket).key("record")).objectLockRetainUntilDate())
        .isEqualTo(extended);
    assertThat(get(bucket, "record", v)).isEqualTo("kept");

    // DeleteBucket is refused while versions exist, even after a delete marker hides the key.
    s3.deleteObject(b -> b.bucket(bucket).key("record"));
    assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
    S3Exception notEmpty = failure(() -> s3.deleteBucket(b -> b.bucket(bucket)));
    assertThat(notEmpty.statusCode()).isEqualTo(409);
    assertThat(notEmpty.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty");
    assertThat(get(bucket, "record", v)).isEqualTo("kept");
  }

  @Test
  void legalHold_blocksEvenTheBypass_untilReleased() {
    String bucket = "lock-hold";
    lockedBucket(s3, bucket, null);
    String v =
        s3.putObject(
                b ->
                    b.bucket(bucket)
                        .key("evidence")
                        .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON),
                RequestBody.fromString("exhibit A"))
            .versionId();
    assertThat(s3.headObject(b -> b.bucket(bucket).key("evidence")).objectLockMode()).isNull();
    accessDenied(
        () ->
            s3.deleteObject(
                b ->
                    b.bucket(bucket).key("evidence").versionId(v).bypassGovernanceRetention(true)));
    s3.putObjectLegalHold(
        b ->
            b.bucket(bucket)
                .key("evidence")
                .versionId(v)
                .legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
    assertThat(
            s3.getObjectLegalHold(b -> b.bucket(bucket).key("evidence").versionId(v))
                .legalHold()
                .status())
        .isEqualTo(ObjectLockLegalHoldStatus.OFF);
    s3.deleteObject(b -> b.bucket(bucket).key("evidence").versionId(v));
    assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions()).isEmpty();
    s3.deleteBucket(b -> b.bucket(bucket));
  }

  @Test
  void userDeniedBypassGovernanceRetention_cannotBypass_whileAFullAccessUserCan() throws Exception {
    Identities ids = new Identities(server);
    ids.tenant("greffe");
    String denyBypass =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
          {"Effect": "Deny", "Action": "s3:BypassGovernanceRetention", "Resource": "*"}
        ]}""";
    Identities.Key clerkKey = ids.user("greffe", "clerk", denyBypass);
    Identities.Key chiefKey = ids.user("greffe", "chief", Identities.FULL_ACCESS);
    try (S3Client clerk = clerkKey.client(server);
        S3Client chief = chiefKey.client(server)) {
      String bucket = "greffe-minutes";
      lockedBucket(clerk, bucket, ObjectLockRetentionMode.GOVERNANCE);
      String v = put(clerk, bucket, "minute", "jugement");
      accessDenied(() -> clerk.deleteObject(b -> b.bucket(bucket).key("minute").versionId(v)));
      accessDenied(
          () ->
              clerk.deleteObject(
                  b ->
                      b.bucket(bucket).key("minute").versionId(v).bypassGovernanceRetention(true)));
      // Refused whole (the bypass is authorized first) or per key: either way, nothing removed.
      String batchCode;
      try {
        var batch =
            clerk.deleteObjects(
                b ->
                    b.bucket(bucket)
                        .bypassGovernanceRetention(true)
                        .delete(
                            d ->
                                d.objects(
                                    ObjectIdentifier.builder()
                                        .key("minute")
                                        .versionId(v)
                                        .build())));
        batchCode = batch.errors().isEmpty() ? "none" : batch.errors().get(0).code();
      } catch (S3Exception e) {
        batchCode = e.awsErrorDetails().errorCode();
      }
      assertThat(batchCode).isEqualTo("AccessDenied");
      accessDenied(
          () ->
              clerk.putObjectRetention(
                  b ->
                      b.bucket(bucket)
                          .key("minute")
                          .versionId(v)
                          .bypassGovernanceRetention(true)
                          .retention(
                              x ->
                                  x.mode(ObjectLockRetentionMode.GOVERNANCE)
                                      .retainUntilDate(Instant.now().plusSeconds(3600)))));
      assertThat(
              clerk
                  .getObjectAsBytes(b -> b.bucket(bucket).key("minute").versionId(v))
                  .asUtf8String())
          .isEqualTo("jugement");

      // The console deletes without a version: a delete marker; the bucket stays.
      try (ConsoleClient console = new ConsoleClient(server.consoleEndpoint())) {
        assertThat(console.signIn(clerkKey.id(), clerkKey.secret()).status()).isEqualTo(200);
        assertThat(
                console
                    .change("DELETE", "/api/buckets/" + bucket + "/object?key=minute", null)
                    .status())
            .isEqualTo(204);
        assertThat(console.change("DELETE", "/api/buckets/" + bucket, null).status())
            .isEqualTo(409);
      }
      assertThat(clerk.listObjectVersions(b -> b.bucket(bucket)).deleteMarkers()).hasSize(1);
      // Nor can the operator delete the tenant: it still has a bucket, which has versions.
      ServerProcess.Admin dropTenant = server.admin("DELETE", "tenants/greffe", null);
      assertThat(dropTenant.status()).as(dropTenant.body()).isEqualTo(409);
      assertThat(
              clerk
                  .getObjectAsBytes(b -> b.bucket(bucket).key("minute").versionId(v))
                  .asUtf8String())
          .isEqualTo("jugement");

      chief.deleteObject(
          b -> b.bucket(bucket).key("minute").versionId(v).bypassGovernanceRetention(true));
      assertThat(clerk.listObjectVersions(b -> b.bucket(bucket)).versions()).isEmpty();
    }
  }

  @Test
  void kmsKeyDestruction_isRefused_whileALockedVersionUsesTheKey() throws Exception {
    ServerProcess.Admin created = server.admin("POST", "keys", "{\"alias\":\"lock-kms\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String bucket = "lock-kms";
    lockedBucket(s3, bucket, null);
    Instant until = inOneDay();
    String v =
        s3.putObject(
                b ->
                    b.bucket(bucket)
                        .key("sealed")
                        .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                        .ssekmsKeyId("alias/lock-kms")
                        .objectLockMode(ObjectLockMode.GOVERNANCE)
                        .objectLockRetainUntilDate(until),
                RequestBody.fromString("under a locked key"))
            .versionId();

    ServerProcess.Admin now =
        ServerProcess.cli(
            cliEnv(), "admin", "keys", "destroy", "alias/lock-kms", "--now", "--reason", "test");
    assertThat(now.status()).as(now.body()).isNotZero();
    assertThat(now.body()).contains("Object Lock");
    ServerProcess.Admin scheduled =
        ServerProcess.cli(
            cliEnv(), "admin", "keys", "schedule-deletion", "alias/lock-kms", "--days", "7");
    assertThat(scheduled.status()).as(scheduled.body()).isNotZero();
    assertThat(scheduled.body()).contains("Object Lock");
    assertThat(get(bucket, "sealed", v)).isEqualTo("under a locked key");

    // Once the version is gone (GOVERNANCE, bypassed by the root), the key can be destroyed.
    s3.deleteObject(
        b -> b.bucket(bucket).key("sealed").versionId(v).bypassGovernanceRetention(true));
    ServerProcess.Admin destroyed =
        ServerProcess.cli(
            cliEnv(), "admin", "keys", "destroy", "alias/lock-kms", "--now", "--reason", "test");
    assertThat(destroyed.status()).as(destroyed.body()).isZero();
  }

  @Test
  void lifecycle_neverRemovesALockedVersion_itOnlyPutsMarkersOnTop() throws Exception {
    String bucket = "lock-cycle";
    lockedBucket(s3, bucket, ObjectLockRetentionMode.COMPLIANCE);
    String v1 = put(s3, bucket, "log", "first");
    String v2 = put(s3, bucket, "log", "second");
    LifecycleRule purge =
        LifecycleRule.builder()
            .id("purge-all")
            .filter(f -> f.prefix(""))
            .status(ExpirationStatus.ENABLED)
            .expiration(e -> e.date(Instant.parse("2020-01-01T00:00:00Z")))
            .noncurrentVersionExpiration(n -> n.noncurrentDays(1))
            .build();
    s3.putBucketLifecycleConfiguration(
        b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(purge)));
    for (int pass = 0; pass < 2; pass++) {
      ServerProcess.Admin run = ServerProcess.cli(cliEnv(), "admin", "lifecycle", "run");
      assertThat(run.status()).as(run.body()).isZero();
    }
    var versions = s3.listObjectVersions(b -> b.bucket(bucket));
    assertThat(versions.versions()).extracting(ObjectVersion::versionId).containsExactly(v2, v1);
    assertThat(versions.deleteMarkers()).hasSize(1);
    assertThat(get(bucket, "log", v1)).isEqualTo("first");
    assertThat(get(bucket, "log", v2)).isEqualTo("second");
  }

  private record Result(int code, String output) {}

  private static Result aws(String... args) throws IOException, InterruptedException {
    String aws = System.getenv().getOrDefault("COFFRE_IT_OLD_AWS", "/usr/bin/aws");
    List<String> cmd =
        new ArrayList<>(List.of(aws, "--endpoint-url", server.endpoint().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("AWS_ACCESS_KEY_ID", ServerProcess.ACCESS_KEY);
    pb.environment().put("AWS_SECRET_ACCESS_KEY", ServerProcess.SECRET_KEY);
    pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
    pb.environment().put("AWS_CONFIG_FILE", work.resolve("aws-config").toString());
    pb.environment().remove("AWS_CA_BUNDLE");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  @Test
  void awsCli29_retentionLegalHoldAndBypass() throws Exception {
    String aws = System.getenv().getOrDefault("COFFRE_IT_OLD_AWS", "/usr/bin/aws");
    assumeTrue(Path.of(aws).toFile().canExecute(), "aws-cli 2.9 is not installed");
    String bucket = "lock-cli";
    Result mb =
        aws("s3api", "create-bucket", "--bucket", bucket, "--object-lock-enabled-for-bucket");
    assertThat(mb.code()).as(mb.output()).isZero();
    String v = put(s3, bucket, "file", "from the sdk");
    String until = inOneDay().toString();

    Result retention =
        aws(
            "s3api",
            "put-object-retention",
            "--bucket",
            bucket,
            "--key",
            "file",
            "--version-id",
            v,
            "--retention",
            "Mode=GOVERNANCE,RetainUntilDate=" + until);
    assertThat(retention.code()).as(retention.output()).isZero();
    Result read =
        aws(
            "s3api",
            "get-object-retention",
            "--bucket",
            bucket,
            "--key",
            "file",
            "--version-id",
            v);
    assertThat(read.code()).as(read.output()).isZero();
    assertThat(read.output()).contains("\"Mode\": \"GOVERNANCE\"", "RetainUntilDate");

    Result hold =
        aws(
            "s3api",
            "put-object-legal-hold",
            "--bucket",
            bucket,
            "--key",
            "file",
            "--version-id",
            v,
            "--legal-hold",
            "Status=ON");
    assertThat(hold.code()).as(hold.output()).isZero();
    Result held =
        aws(
            "s3api",
            "get-object-legal-hold",
            "--bucket",
            bucket,
            "--key",
            "file",
            "--version-id",
            v);
    assertThat(held.output()).contains("\"Status\": \"ON\"");

    String[] bypassDelete = {
      "s3api",
      "delete-object",
      "--bucket",
      bucket,
      "--key",
      "file",
      "--version-id",
      v,
      "--bypass-governance-retention"
    };
    Result refusedByHold = aws(bypassDelete);
    assertThat(refusedByHold.code()).isNotZero();
    assertThat(refusedByHold.output()).contains("AccessDenied");
    assertThat(
            aws(
                    "s3api",
                    "put-object-legal-hold",
                    "--bucket",
                    bucket,
                    "--key",
                    "file",
                    "--version-id",
                    v,
                    "--legal-hold",
                    "Status=OFF")
                .code())
        .isZero();
    Result refused =
        aws("s3api", "delete-object", "--bucket", bucket, "--key", "file", "--version-id", v);
    assertThat(refused.code()).isNotZero();
    assertThat(refused.output()).contains("AccessDenied");
    assertThat(get(bucket, "file", v)).isEqualTo("from the sdk");
    Result bypassed = aws(bypassDelete);
    assertThat(bypassed.code()).as(bypassed.output()).isZero();
    assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions()).isEmpty();
  }
}
