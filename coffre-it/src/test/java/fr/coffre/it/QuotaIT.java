package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Quotas per bucket and per tenant, in bytes and in objects: enforced on PUT, CopyObject and
 * CompleteMultipartUpload with a clear error, nothing visible from a refused write, usage shown by
 * the admin API.
 */
class QuotaIT {
  private static ServerProcess server;
  private static Identities ids;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
    ids = new Identities(server);
    ids.tenant("hopital");
    s3 = ids.user("hopital", "app", Identities.FULL_ACCESS).client(server);
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  private static void quotaExceeded(Runnable call, String mentions) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("QuotaExceeded");
              assertThat(e.awsErrorDetails().errorMessage()).contains(mentions);
            });
  }

  @Test
  void bucketQuota_bytes_enforcedOnPutCopyAndComplete() throws Exception {
    s3.createBucket(b -> b.bucket("scans"));
    ids.call(
        200, "PUT", "buckets/scans/quota", "{\"bytes\": 12582912, \"objects\": null}"); // 12 MiB
    byte[] fiveMiB = new byte[5 << 20];
    s3.putObject(b -> b.bucket("scans").key("a"), RequestBody.fromBytes(fiveMiB));
    s3.putObject(b -> b.bucket("scans").key("b"), RequestBody.fromBytes(fiveMiB));
    quotaExceeded(
        () -> s3.putObject(b -> b.bucket("scans").key("c"), RequestBody.fromBytes(fiveMiB)),
        "bytes");
    quotaExceeded(
        () ->
            s3.copyObject(
                b ->
                    b.sourceBucket("scans")
                        .sourceKey("a")
                        .destinationBucket("scans")
                        .destinationKey("copy")),
        "bytes");
    // A multipart upload's parts are accepted; its completion is what would pass the quota.
    String upload = s3.createMultipartUpload(b -> b.bucket("scans").key("mp")).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    for (int n = 1; n <= 2; n++) {
      int part = n;
      String etag =
          s3.uploadPart(
                  b -> b.bucket("scans").key("mp").uploadId(upload).partNumber(part),
                  RequestBody.fromBytes(fiveMiB))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
    }
    quotaExceeded(
        () ->
            s3.completeMultipartUpload(
                b ->
                    b.bucket("scans")
                        .key("mp")
                        .uploadId(upload)
                        .multipartUpload(m -> m.parts(parts))),
        "bytes");
    // Nothing of the refused writes is visible; replacing an object by a smaller one is allowed.
    assertThat(s3.listObjectsV2(b -> b.bucket("scans")).contents())
        .extracting(o -> o.key())
        .containsExactly("a", "b");
    s3.putObject(b -> b.bucket("scans").key("a"), RequestBody.fromString("small"));
    s3.putObject(b -> b.bucket("scans").key("c"), RequestBody.fromBytes(new byte[1 << 20]));
    JsonNode bucket = ids.call(200, "GET", "buckets/scans", null);
    assertThat(bucket.at("/usage/objects").asLong()).isEqualTo(3);
    assertThat(bucket.at("/usage/bytes").asLong()).isEqualTo(5 + (5 << 20) + (1 << 20));
    assertThat(bucket.at("/quota/bytes").asLong()).isEqualTo(12582912);
    // Lifting the quota lets the upload complete.
    ids.call(200, "PUT", "buckets/scans/quota", "{\"bytes\": null, \"objects\": null}");
    s3.completeMultipartUpload(
        b -> b.bucket("scans").key("mp").uploadId(upload).multipartUpload(m -> m.parts(parts)));
  }

  @Test
  void tenantQuota_objects_spansBuckets() throws Exception {
    s3.createBucket(b -> b.bucket("dossiers-1"));
    s3.createBucket(b -> b.bucket("dossiers-2"));
    JsonNode before = ids.call(200, "GET", "tenants/hopital", null);
    long stored = before.at("/usage/objects").asLong();
    ids.call(200, "PUT", "tenants/hopital/quota", "{\"objects\": " + (stored + 2) + "}");
    s3.putObject(b -> b.bucket("dossiers-1").key("x"), RequestBody.fromString("1"));
    s3.putObject(b -> b.bucket("dossiers-2").key("y"), RequestBody.fromString("2"));
    quotaExceeded(
        () -> s3.putObject(b -> b.bucket("dossiers-1").key("z"), RequestBody.fromString("3")),
        "tenant");
    // Overwriting an existing key adds no object.
    s3.putObject(b -> b.bucket("dossiers-1").key("x"), RequestBody.fromString("1 again"));
    s3.deleteObject(b -> b.bucket("dossiers-2").key("y"));
    s3.putObject(b -> b.bucket("dossiers-1").key("z"), RequestBody.fromString("3"));
    JsonNode after = ids.call(200, "GET", "tenants/hopital", null);
    assertThat(after.at("/usage/objects").asLong()).isEqualTo(stored + 2);
    assertThat(after.at("/quota/objects").asLong()).isEqualTo(stored + 2);
    ids.call(200, "PUT", "tenants/hopital/quota", "{}");
  }

  @Test
  void quotas_fromTheCommandLine() throws Exception {
    var env = new java.util.HashMap<String, String>();
    env.put("COFFRE_ADMIN_URL", server.adminEndpoint().toString());
    env.put("COFFRE_ADMIN_TOKEN", ServerProcess.ADMIN_TOKEN);
    s3.createBucket(b -> b.bucket("cli-quota"));
    ServerProcess.Admin set =
        ServerProcess.cli(
            env,
            "admin",
            "buckets",
            "quota",
            "cli-quota",
            "--bytes",
            "1KiB",
            "--objects",
            "5",
            "--json");
    assertThat(set.status()).as(set.body()).isZero();
    assertThat(set.body()).contains("\"bytes\" : 1024", "\"objects\" : 5");
    quotaExceeded(
        () ->
            s3.putObject(
                b -> b.bucket("cli-quota").key("big"), RequestBody.fromBytes(new byte[2048])),
        "bytes");
    ServerProcess.Admin bad =
        ServerProcess.cli(env, "admin", "tenants", "quota", "nowhere", "--objects", "3");
    assertThat(bad.status()).isEqualTo(1);
    assertThat(bad.body()).contains("404", "NoSuchTenant");
  }
}
