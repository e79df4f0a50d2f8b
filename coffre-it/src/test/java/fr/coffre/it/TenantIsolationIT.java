package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Tenant A's credentials (a user with every right in its own tenant) against every S3 operation on
 * tenant B's bucket, objects and multipart uploads, and against presigned URLs: all denied, nothing
 * of B's changed, and no listing shows B's names.
 */
class TenantIsolationIT {
  private static ServerProcess server;
  private static Identities ids;
  private static S3Client alice; // tenant town-a
  private static S3Client bob; // tenant town-b
  private static Identities.Key aliceKey;
  private static Identities.Key bobKey;
  private static String bobUpload;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
    ids = new Identities(server);
    ids.tenant("town-a");
    ids.tenant("town-b");
    aliceKey = ids.user("town-a", "alice", Identities.FULL_ACCESS);
    bobKey = ids.user("town-b", "bob", Identities.FULL_ACCESS);
    alice = aliceKey.client(server);
    bob = bobKey.client(server);
    bob.createBucket(b -> b.bucket("b-private"));
    bob.putObject(
        b -> b.bucket("b-private").key("secret.txt"), RequestBody.fromString("tenant B only"));
    bobUpload = bob.createMultipartUpload(b -> b.bucket("b-private").key("mp")).uploadId();
    alice.createBucket(b -> b.bucket("a-own"));
    alice.putObject(b -> b.bucket("a-own").key("mine.txt"), RequestBody.fromString("tenant A"));
  }

  @AfterAll
  static void stop() {
    alice.close();
    bob.close();
    server.close();
  }

  private static String code(Throwable t) {
    return ((S3Exception) t).awsErrorDetails().errorCode();
  }

  @Test
  void everyOperationOnAnotherTenantsBucket_isDenied() {
    Map<String, Consumer<S3Client>> ops = new LinkedHashMap<>();
    ops.put("ListObjects", c -> c.listObjects(b -> b.bucket("b-private")));
    ops.put("ListObjectsV2", c -> c.listObjectsV2(b -> b.bucket("b-private")));
    ops.put("ListObjectVersions", c -> c.listObjectVersions(b -> b.bucket("b-private")));
    ops.put("GetBucketLocation", c -> c.getBucketLocation(b -> b.bucket("b-private")));
    ops.put(
        "PutObject",
        c ->
            c.putObject(b -> b.bucket("b-private").key("secret.txt"), RequestBody.fromString("x")));
    ops.put("GetObject", c -> c.getObjectAsBytes(b -> b.bucket("b-private").key("secret.txt")));
    ops.put(
        "GetObjectRange",
        c -> c.getObjectAsBytes(b -> b.bucket("b-private").key("secret.txt").range("bytes=0-3")));
    ops.put(
        "GetObjectAttributes",
        c ->
            c.getObjectAttributes(
                b ->
                    b.bucket("b-private")
                        .key("secret.txt")
                        .objectAttributes(
                            software.amazon.awssdk.services.s3.model.ObjectAttributes.E_TAG)));
    ops.put("DeleteObject", c -> c.deleteObject(b -> b.bucket("b-private").key("secret.txt")));
    ops.put(
        "CopyObject out of B",
        c ->
            c.copyObject(
                b ->
                    b.sourceBucket("b-private")
                        .sourceKey("secret.txt")
                        .destinationBucket("a-own")
                        .destinationKey("stolen")));
    ops.put(
        "CopyObject into B",
        c ->
            c.copyObject(
                b ->
                    b.sourceBucket("a-own")
                        .sourceKey("mine.txt")
                        .destinationBucket("b-private")
                        .destinationKey("planted")));
    ops.put(
        "CreateMultipartUpload",
        c -> c.createMultipartUpload(b -> b.bucket("b-private").key("m2")));
    ops.put(
        "UploadPart",
        c ->
            c.uploadPart(
                b -> b.bucket("b-private").key("mp").uploadId(bobUpload).partNumber(1),
                RequestBody.fromString("part")));
    ops.put(
        "UploadPartCopy",
        c ->
            c.uploadPartCopy(
                b ->
                    b.sourceBucket("b-private")
                        .sourceKey("secret.txt")
                        .destinationBucket("b-private")
                        .destinationKey("mp")
                        .uploadId(bobUpload)
                        .partNumber(2)));
    ops.put(
        "ListParts", c -> c.listParts(b -> b.bucket("b-private").key("mp").uploadId(bobUpload)));
    ops.put("ListMultipartUploads", c -> c.listMultipartUploads(b -> b.bucket("b-private")));
    ops.put(
        "CompleteMultipartUpload",
        c ->
            c.completeMultipartUpload(
                b ->
                    b.bucket("b-private")
                        .key("mp")
                        .uploadId(bobUpload)
                        .multipartUpload(
                            m ->
                                m.parts(CompletedPart.builder().partNumber(1).eTag("x").build()))));
    ops.put(
        "AbortMultipartUpload",
        c -> c.abortMultipartUpload(b -> b.bucket("b-private").key("mp").uploadId(bobUpload)));
    ops.put(
        "GetObjectTagging", c -> c.getObjectTagging(b -> b.bucket("b-private").key("secret.txt")));
    ops.put(
        "PutObjectTagging",
        c ->
            c.putObjectTagging(
                b ->
                    b.bucket("b-private")
                        .key("secret.txt")
                        .tagging(
                            t ->
                                t.tagSet(
                                    software.amazon.awssdk.services.s3.model.Tag.builder()
                                        .key("k")
                                        .value("v")
                                        .build()))));
    ops.put(
        "DeleteObjectTagging",
        c -> c.deleteObjectTagging(b -> b.bucket("b-private").key("secret.txt")));
    ops.put("GetObjectAcl", c -> c.getObjectAcl(b -> b.bucket("b-private").key("secret.txt")));
    ops.put("GetBucketTagging", c -> c.getBucketTagging(b -> b.bucket("b-private")));
    ops.put(
        "PutBucketTagging",
        c ->
            c.putBucketTagging(
                b ->
                    b.bucket("b-private")
                        .tagging(
                            t ->
                                t.tagSet(
                                    software.amazon.awssdk.services.s3.model.Tag.builder()
                                        .key("k")
                                        .value("v")
                                        .build()))));
    ops.put("DeleteBucketTagging", c -> c.deleteBucketTagging(b -> b.bucket("b-private")));
    ops.put("GetBucketCors", c -> c.getBucketCors(b -> b.bucket("b-private")));
    ops.put("DeleteBucketCors", c -> c.deleteBucketCors(b -> b.bucket("b-private")));
    ops.put("GetBucketAcl", c -> c.getBucketAcl(b -> b.bucket("b-private")));
    ops.put("GetBucketVersioning", c -> c.getBucketVersioning(b -> b.bucket("b-private")));
    ops.put("GetBucketEncryption", c -> c.getBucketEncryption(b -> b.bucket("b-private")));
    ops.put("DeleteBucketEncryption", c -> c.deleteBucketEncryption(b -> b.bucket("b-private")));
    ops.put("GetBucketPolicy", c -> c.getBucketPolicy(b -> b.bucket("b-private")));
    ops.put(
        "PutBucketPolicy",
        c ->
            c.putBucketPolicy(
                b ->
                    b.bucket("b-private")
                        .policy(
                            "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b-private/*\"}]}")));
    ops.put("DeleteBucketPolicy", c -> c.deleteBucketPolicy(b -> b.bucket("b-private")));
    ops.put("DeleteBucket", c -> c.deleteBucket(b -> b.bucket("b-private")));
    for (var op : ops.entrySet()) {
      assertThatThrownBy(() -> op.getValue().accept(alice))
          .as(op.getKey())
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).as(op.getKey()).isEqualTo(403);
                assertThat(code(e)).as(op.getKey()).isEqualTo("AccessDenied");
              });
    }
    // HEAD carries no body: the status says it.
    assertThatThrownBy(() -> alice.headObject(b -> b.bucket("b-private").key("secret.txt")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    assertThatThrownBy(() -> alice.headBucket(b -> b.bucket("b-private")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    // DeleteObjects answers 200 with a per-key AccessDenied.
    DeleteObjectsResponse multi =
        alice.deleteObjects(
            b ->
                b.bucket("b-private")
                    .delete(
                        d ->
                            d.objects(
                                software.amazon.awssdk.services.s3.model.ObjectIdentifier.builder()
                                    .key("secret.txt")
                                    .build())));
    assertThat(multi.deleted()).isEmpty();
    assertThat(multi.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.code()).isEqualTo("AccessDenied"));

    // Nothing of B's changed: its object, its upload, its bucket are all there, A's copy is not.
    assertThat(bob.getObjectAsBytes(b -> b.bucket("b-private").key("secret.txt")).asUtf8String())
        .isEqualTo("tenant B only");
    assertThat(bob.listObjectsV2(b -> b.bucket("b-private")).contents())
        .extracting(o -> o.key())
        .containsExactly("secret.txt");
    assertThat(bob.listMultipartUploads(b -> b.bucket("b-private")).uploads())
        .singleElement()
        .satisfies(u -> assertThat(u.uploadId()).isEqualTo(bobUpload));
    assertThatThrownBy(() -> bob.getBucketPolicy(b -> b.bucket("b-private")))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(code(e)).isEqualTo("NoSuchBucketPolicy"));
  }

  @Test
  void kmsKeys_belongToTheirTenant() throws Exception {
    String bobArn =
        ids.call(201, "POST", "keys", "{\"alias\": \"town-b-key\", \"tenant\": \"town-b\"}")
            .get("arn")
            .asText();
    // Tenant B writes under its key; tenant A cannot name it, by ARN or alias: "not found".
    bob.createBucket(b -> b.bucket("b-kms"));
    bob.putObject(
        b -> b.bucket("b-kms").key("kms.txt").serverSideEncryption("aws:kms").ssekmsKeyId(bobArn),
        RequestBody.fromString("under B's key"));
    for (String ref : List.of(bobArn, "alias/town-b-key")) {
      assertThatThrownBy(
              () ->
                  alice.putObject(
                      b ->
                          b.bucket("a-own")
                              .key("kms.txt")
                              .serverSideEncryption("aws:kms")
                              .ssekmsKeyId(ref),
                      RequestBody.fromString("x")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(code(e)).isEqualTo("KMS.NotFoundException"));
    }
    // Without a key id, each tenant gets its own managed key.
    String aManaged =
        alice
            .putObject(
                b -> b.bucket("a-own").key("managed.txt").serverSideEncryption("aws:kms"),
                RequestBody.fromString("a"))
            .ssekmsKeyId();
    String bManaged =
        bob.putObject(
                b -> b.bucket("b-kms").key("managed.txt").serverSideEncryption("aws:kms"),
                RequestBody.fromString("b"))
            .ssekmsKeyId();
    assertThat(aManaged).isNotEqualTo(bManaged);
    assertThat(
            ids.call(200, "GET", "keys/" + bManaged.substring(bManaged.indexOf("key/") + 4), null)
                .get("tenant")
                .asText())
        .isEqualTo("town-b");
  }

  @Test
  void listings_neverShowAnotherTenantsNames() {
    assertThat(alice.listBuckets().buckets()).extracting(b -> b.name()).containsExactly("a-own");
    assertThat(bob.listBuckets().buckets())
        .extracting(b -> b.name())
        .contains("b-private")
        .doesNotContain("a-own");
    // The root credentials belong to the default tenant: they see neither.
    try (S3Client root = S3Clients.legacy(server.endpoint())) {
      assertThat(root.listBuckets().buckets())
          .extracting(b -> b.name())
          .doesNotContain("a-own", "b-private");
      assertThatThrownBy(() -> root.getObjectAsBytes(b -> b.bucket("b-private").key("secret.txt")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(code(e)).isEqualTo("AccessDenied"));
    }
  }

  @Test
  void createBucket_withAnotherTenantsName_isBucketAlreadyExists() {
    assertThatThrownBy(() -> alice.createBucket(b -> b.bucket("b-private")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(409);
              assertThat(code(e)).isEqualTo("BucketAlreadyExists");
            });
    // Its owner re-creating it: us-east-1's success that changes nothing.
    bob.createBucket(b -> b.bucket("b-private"));
  }

  @Test
  void presignedUrls_signedByAnotherTenant_areDenied() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String aliceUrl;
    String bobUrl;
    try (S3Presigner a = presigner(aliceKey);
        S3Presigner b = presigner(bobKey)) {
      aliceUrl =
          a.presignGetObject(
                  p ->
                      p.signatureDuration(Duration.ofMinutes(5))
                          .getObjectRequest(g -> g.bucket("b-private").key("secret.txt")))
              .url()
              .toString();
      bobUrl =
          b.presignGetObject(
                  p ->
                      p.signatureDuration(Duration.ofMinutes(5))
                          .getObjectRequest(g -> g.bucket("b-private").key("secret.txt")))
              .url()
              .toString();
    }
    HttpResponse<String> denied =
        http.send(
            HttpRequest.newBuilder(URI.create(aliceUrl)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("<Code>AccessDenied</Code>").doesNotContain("tenant B only");
    // The same URL signed by the owner works: the refusal is about who signed.
    HttpResponse<String> allowed =
        http.send(
            HttpRequest.newBuilder(URI.create(bobUrl)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.body()).isEqualTo("tenant B only");
    // Unsigned, nobody gets in either: not the object, not the list of buckets.
    assertThat(
            http.send(
                    HttpRequest.newBuilder(server.endpoint().resolve("/")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(403);
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(server.endpoint().resolve("/b-private/secret.txt")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(403);
  }

  @Test
  void operatorToken_isNotAnS3Credential() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.endpoint().resolve("/b-private/secret.txt"))
                    .header("Authorization", "Bearer " + ServerProcess.ADMIN_TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isBetween(400, 403);
    assertThat(r.body()).doesNotContain("tenant B only");
    // And the admin API has no route to object content.
    for (String path :
        List.of(
            "buckets/b-private/objects",
            "buckets/b-private/secret.txt",
            "objects/b-private/secret.txt")) {
      assertThat(server.admin("GET", path, null).status()).as(path).isIn(404, 405);
    }
  }

  private static S3Presigner presigner(Identities.Key key) {
    return S3Presigner.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(key.id(), key.secret())))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }
}
