package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Transition;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * Lifecycle end to end with the AWS SDK v2 and the command line: rules put, read back and refused
 * as S3 does; {@code coffre admin lifecycle run} expires what a rule dated in the past names, and
 * the removal is in the bucket's tenant's audit trail.
 */
class LifecycleIT {
  private static final String BUCKET = "cycle";

  @Test
  void pastDateRule_runNow_expiresTheObject_keepsOthers_andRecordsIt() throws Exception {
    try (ServerProcess server = ServerProcess.start("256m");
        S3Client s3 = S3Clients.modern(server.endpoint())) {
      s3.createBucket(b -> b.bucket(BUCKET));
      s3.putObject(b -> b.bucket(BUCKET).key("tmp/old.log"), RequestBody.fromString("old"));
      s3.putObject(b -> b.bucket(BUCKET).key("keep/report.pdf"), RequestBody.fromString("kept"));

      S3Exception none =
          catchThrowableOfType(
              S3Exception.class, () -> s3.getBucketLifecycleConfiguration(b -> b.bucket(BUCKET)));
      assertThat(none.statusCode()).isEqualTo(404);
      assertThat(none.awsErrorDetails().errorCode()).isEqualTo("NoSuchLifecycleConfiguration");

      LifecycleRule past =
          LifecycleRule.builder()
              .id("purge-tmp")
              .filter(f -> f.prefix("tmp/"))
              .status(ExpirationStatus.ENABLED)
              .expiration(e -> e.date(Instant.parse("2020-01-01T00:00:00Z")))
              .build();
      LifecycleRule later =
          LifecycleRule.builder()
              .id("keep-30d")
              .filter(f -> f.prefix("keep/"))
              .status(ExpirationStatus.ENABLED)
              .expiration(e -> e.days(30))
              .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(7))
              .build();
      s3.putBucketLifecycleConfiguration(
          b ->
              b.bucket(BUCKET)
                  .lifecycleConfiguration(
                      BucketLifecycleConfiguration.builder().rules(past, later).build()));
      var read = s3.getBucketLifecycleConfiguration(b -> b.bucket(BUCKET));
      assertThat(read.rules())
          .extracting(LifecycleRule::id)
          .containsExactly("purge-tmp", "keep-30d");
      assertThat(read.rules().get(0).expiration().date())
          .isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
      assertThat(read.rules().get(1).expiration().days()).isEqualTo(30);
      assertThat(read.rules().get(1).abortIncompleteMultipartUpload().daysAfterInitiation())
          .isEqualTo(7);

      // Refusals as S3 gives them; the stored rules are untouched.
      S3Exception zero =
          catchThrowableOfType(
              S3Exception.class,
              () ->
                  s3.putBucketLifecycleConfiguration(
                      b ->
                          b.bucket(BUCKET)
                              .lifecycleConfiguration(
                                  c ->
                                      c.rules(
                                          later.toBuilder().expiration(e -> e.days(0)).build()))));
      assertThat(zero.statusCode()).isEqualTo(400);
      assertThat(zero.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
      S3Exception transition =
          catchThrowableOfType(
              S3Exception.class,
              () ->
                  s3.putBucketLifecycleConfiguration(
                      b ->
                          b.bucket(BUCKET)
                              .lifecycleConfiguration(
                                  c ->
                                      c.rules(
                                          later.toBuilder()
                                              .transitions(
                                                  Transition.builder()
                                                      .days(60)
                                                      .storageClass(TransitionStorageClass.GLACIER)
                                                      .build())
                                              .build()))));
      assertThat(transition.statusCode()).isEqualTo(400);
      assertThat(transition.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
      assertThat(transition.awsErrorDetails().errorMessage()).contains("not supported");
      assertThat(s3.getBucketLifecycleConfiguration(b -> b.bucket(BUCKET)).rules()).hasSize(2);

      ServerProcess.Admin run =
          ServerProcess.cli(
              Map.of(
                  "COFFRE_ADMIN_URL",
                  server.adminEndpoint().toString(),
                  "COFFRE_ADMIN_TOKEN",
                  ServerProcess.ADMIN_TOKEN),
              "admin",
              "lifecycle",
              "run",
              "--json");
      assertThat(run.status()).as(run.body()).isZero();
      assertThat(run.body()).contains("\"expired\" : 1");

      assertThat(
              catchThrowableOfType(
                  NoSuchKeyException.class,
                  () -> s3.headObject(b -> b.bucket(BUCKET).key("tmp/old.log"))))
          .isNotNull();
      assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("keep/report.pdf")).asUtf8String())
          .isEqualTo("kept");
      ServerProcess.Admin trail = server.admin("GET", "audit/default", null);
      assertThat(trail.status()).isEqualTo(200);
      assertThat(trail.body())
          .contains("LifecycleExpireObject", "\"key\":\"tmp/old.log\"", "purge-tmp")
          .doesNotContain("\"key\":\"keep/report.pdf\",\"versionId\":null,\"status\":204");

      s3.deleteBucketLifecycle(b -> b.bucket(BUCKET));
      assertThat(
              catchThrowableOfType(
                      S3Exception.class,
                      () -> s3.getBucketLifecycleConfiguration(b -> b.bucket(BUCKET)))
                  .statusCode())
          .isEqualTo(404);
    }
  }
}
