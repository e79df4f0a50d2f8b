package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.OwnershipControlsRule;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * ACLs through a real server, the AWS SDK v2, plain HTTP and aws-cli: a public-read object is read
 * without a signature until Block Public Access turns it off; a grant to another tenant's canonical
 * id lets that tenant read; a bucket of a class that forbids public access refuses public-read.
 */
class AclIT {
  private static final String CLASS_HEADER = "x-coffre-sensitivity-class";
  @TempDir static Path work;
  private static ServerProcess server;
  private static S3Client root;
  private static S3Client bob; // tenant town-b
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Path config = work.resolve("coffre.yaml");
    // health keeps its refusal of public access when an operator redefines its locations.
    Files.writeString(config, "placement:\n  classes:\n    - {name: health, eea: false}\n");
    server = ServerProcess.start("512m", "--config", config.toString());
    root = S3Clients.modern(server.endpoint());
    Identities ids = new Identities(server);
    ids.tenant("town-b");
    bob = ids.user("town-b", "bob", Identities.FULL_ACCESS).client(server);
  }

  @AfterAll
  static void stop() {
    root.close();
    bob.close();
    server.close();
  }

  private static int anonymousGet(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(server.endpoint().resolve(path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }

  @Test
  void publicReadObject_isReadWithoutSignature_untilPublicAccessIsBlocked() throws Exception {
    root.createBucket(b -> b.bucket("acl-public"));
    root.putObject(
        b -> b.bucket("acl-public").key("open.txt").acl(ObjectCannedACL.PUBLIC_READ),
        RequestBody.fromString("for everyone"));
    root.putObject(b -> b.bucket("acl-public").key("closed.txt"), RequestBody.fromString("no"));

    HttpResponse<String> open =
        HTTP.send(
            HttpRequest.newBuilder(server.endpoint().resolve("/acl-public/open.txt")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.body()).isEqualTo("for everyone");
    assertThat(anonymousGet("/acl-public/closed.txt")).isEqualTo(403);
    assertThat(anonymousGet("/acl-public")).as("the bucket is not public-read").isEqualTo(403);

    GetObjectAclResponse acl = root.getObjectAcl(b -> b.bucket("acl-public").key("open.txt"));
    assertThat(acl.grants())
        .extracting(g -> g.grantee().uri(), Grant::permission)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "http://acs.amazonaws.com/groups/global/AllUsers", Permission.READ));

    root.putPublicAccessBlock(
        b ->
            b.bucket("acl-public")
                .publicAccessBlockConfiguration(
                    c -> c.ignorePublicAcls(true).blockPublicAcls(true)));
    assertThat(anonymousGet("/acl-public/open.txt")).isEqualTo(403);
    assertThatThrownBy(
            () ->
                root.putObjectAcl(
                    b -> b.bucket("acl-public").key("closed.txt").acl(ObjectCannedACL.PUBLIC_READ)))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));

    root.deletePublicAccessBlock(b -> b.bucket("acl-public"));
    assertThat(anonymousGet("/acl-public/open.txt")).isEqualTo(200);
  }

  @Test
  void expectedBucketOwner_refusesWhenAnotherAccountOwnsTheBucket() {
    root.createBucket(b -> b.bucket("acl-owner"));
    String rootId = root.listBuckets().owner().id();
    String bobId = bob.listBuckets().owner().id();
    root.putObject(
        b -> b.bucket("acl-owner").key("a").expectedBucketOwner(rootId),
        RequestBody.fromString("mine"));
    // The twelve-digit account id names the owner too.
    assertThat(
            root.listObjectsV2(b -> b.bucket("acl-owner").expectedBucketOwner("000000000000"))
                .contents())
        .hasSize(1);
    assertThatThrownBy(
            () ->
                root.putObject(
                    b -> b.bucket("acl-owner").key("b").expectedBucketOwner(bobId),
                    RequestBody.fromString("not written")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            });
    assertThatThrownBy(
            () -> root.listObjectsV2(b -> b.bucket("acl-owner").expectedBucketOwner(bobId)))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    assertThatThrownBy(
            () ->
                root.copyObject(
                    b ->
                        b.sourceBucket("acl-owner")
                            .sourceKey("a")
                            .destinationBucket("acl-owner")
                            .destinationKey("c")
                            .expectedSourceBucketOwner(bobId)))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    assertThat(root.listObjectsV2(b -> b.bucket("acl-owner")).contents())
        .extracting(o -> o.key())
        .containsExactly("a");
  }

  @Test
  void grantToAnotherTenantsCanonicalId_letsThatTenantRead() {
    root.createBucket(b -> b.bucket("acl-shared"));
    root.putObject(b -> b.bucket("acl-shared").key("doc"), RequestBody.fromString("shared"));
    String bobId = bob.listBuckets().owner().id();
    String rootId = root.listBuckets().owner().id();
    assertThat(bobId).hasSize(64).isNotEqualTo(rootId);

    assertThatThrownBy(() -> bob.getObjectAsBytes(b -> b.bucket("acl-shared").key("doc")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    root.putObjectAcl(
        b ->
            b.bucket("acl-shared")
                .key("doc")
                .grantFullControl("id=" + rootId)
                .grantRead("id=" + bobId));
    assertThat(bob.getObjectAsBytes(b -> b.bucket("acl-shared").key("doc")).asUtf8String())
        .isEqualTo("shared");
    assertThat(root.getObjectAcl(b -> b.bucket("acl-shared").key("doc")).owner().id())
        .isEqualTo(rootId);
    // Reading one object does not list the bucket.
    assertThatThrownBy(() -> bob.listObjectsV2(b -> b.bucket("acl-shared")))
        .isInstanceOf(S3Exception.class);
    // A grant to a canonical id nobody has is refused, and nothing changes.
    assertThatThrownBy(
            () ->
                root.putObjectAcl(
                    b -> b.bucket("acl-shared").key("doc").grantRead("id=" + "0".repeat(64))))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    assertThat(bob.getObjectAsBytes(b -> b.bucket("acl-shared").key("doc")).asUtf8String())
        .isEqualTo("shared");
  }

  @Test
  void uploadStartedByAnotherTenant_isListedWithThatTenantAsOwner() {
    root.createBucket(b -> b.bucket("acl-uploads"));
    root.putBucketAcl(b -> b.bucket("acl-uploads").acl(BucketCannedACL.PUBLIC_READ_WRITE));
    String rootId = root.listBuckets().owner().id();
    String bobId = bob.listBuckets().owner().id();
    String mine = root.createMultipartUpload(b -> b.bucket("acl-uploads").key("a")).uploadId();
    String his = bob.createMultipartUpload(b -> b.bucket("acl-uploads").key("b")).uploadId();
    for (S3Client client : List.of(root, bob)) {
      List<MultipartUpload> listed =
          client.listMultipartUploads(b -> b.bucket("acl-uploads")).uploads();
      assertThat(listed).extracting(MultipartUpload::uploadId).containsExactly(mine, his);
      assertThat(listed.get(0).owner().id()).isEqualTo(rootId);
      assertThat(listed.get(0).initiator().id()).isEqualTo(rootId);
      assertThat(listed.get(1).owner().id()).isEqualTo(bobId);
      assertThat(listed.get(1).initiator().id()).isEqualTo(bobId);
    }
    root.abortMultipartUpload(b -> b.bucket("acl-uploads").key("a").uploadId(mine));
    bob.abortMultipartUpload(b -> b.bucket("acl-uploads").key("b").uploadId(his));
  }

  @Test
  void healthBucket_refusesPublicRead_withTheClassNamed() {
    root.createBucket(
        b ->
            b.bucket("acl-health").overrideConfiguration(o -> o.putHeader(CLASS_HEADER, "health")));
    root.putObject(b -> b.bucket("acl-health").key("record"), RequestBody.fromString("private"));
    assertThatThrownBy(
            () ->
                root.putObjectAcl(
                    b -> b.bucket("acl-health").key("record").acl(ObjectCannedACL.PUBLIC_READ)))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
              assertThat(e.awsErrorDetails().errorMessage()).contains("'health'");
            });
    assertThatThrownBy(
            () ->
                root.putBucketPolicy(
                    b ->
                        b.bucket("acl-health")
                            .policy(
                                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                    + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                                    + "\"Resource\":\"arn:aws:s3:::acl-health/*\"}]}")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    assertThat(root.getBucketPolicyStatus(b -> b.bucket("acl-health")).policyStatus().isPublic())
        .isFalse();
  }

  @Test
  void bucketOwnerEnforced_refusesAcls() {
    root.createBucket(b -> b.bucket("acl-enforced"));
    root.putBucketOwnershipControls(
        b ->
            b.bucket("acl-enforced")
                .ownershipControls(
                    c ->
                        c.rules(
                            OwnershipControlsRule.builder()
                                .objectOwnership("BucketOwnerEnforced")
                                .build())));
    assertThatThrownBy(
            () ->
                root.putObject(
                    b -> b.bucket("acl-enforced").key("x").acl(ObjectCannedACL.PUBLIC_READ),
                    RequestBody.fromString("x")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e ->
                assertThat(e.awsErrorDetails().errorCode())
                    .isEqualTo("AccessControlListNotSupported"));
    root.putObject(
        b -> b.bucket("acl-enforced").key("y").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL),
        RequestBody.fromString("y"));
  }

  @Test
  void awsCli_putAndGetObjectAcl() throws Exception {
    Process probe = new ProcessBuilder("sh", "-c", "command -v aws").start();
    assumeTrue(probe.waitFor() == 0, "aws-cli is not installed");
    root.createBucket(b -> b.bucket("acl-cli"));
    root.putObject(b -> b.bucket("acl-cli").key("f"), RequestBody.fromString("cli"));
    String endpoint = server.endpoint().toString();
    assertThat(
            aws(
                    "s3api",
                    "put-object-acl",
                    "--endpoint-url",
                    endpoint,
                    "--bucket",
                    "acl-cli",
                    "--key",
                    "f",
                    "--acl",
                    "public-read")
                .code())
        .isZero();
    Result got =
        aws(
            "s3api",
            "get-object-acl",
            "--endpoint-url",
            endpoint,
            "--bucket",
            "acl-cli",
            "--key",
            "f");
    assertThat(got.code()).as(got.output()).isZero();
    assertThat(got.output()).contains("AllUsers").contains("READ").contains("FULL_CONTROL");
  }

  record Result(int code, String output) {}

  private static Result aws(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("aws"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("AWS_ACCESS_KEY_ID", ServerProcess.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", ServerProcess.SECRET_KEY);
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", work.resolve("aws-config").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }
}
