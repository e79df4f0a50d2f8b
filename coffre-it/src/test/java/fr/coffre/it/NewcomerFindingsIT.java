package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/** What a newcomer hit (issue 16), each reproduced as they met it. */
class NewcomerFindingsIT {
  private static ServerProcess server;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
    s3 = S3Clients.modern(server.endpoint());
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  @Test
  void createBucketWithObjectLock_makesALockedVersionedBucket_neverAnOrdinaryOne() {
    s3.createBucket(b -> b.bucket("locked").objectLockEnabledForBucket(true));
    assertThat(
            s3.getObjectLockConfiguration(b -> b.bucket("locked"))
                .objectLockConfiguration()
                .objectLockEnabledAsString())
        .isEqualTo("Enabled");
    assertThat(s3.getBucketVersioning(b -> b.bucket("locked")).statusAsString())
        .isEqualTo("Enabled");
    assertThatThrownBy(
            () ->
                s3.putBucketVersioning(
                    b -> b.bucket("locked").versioningConfiguration(v -> v.status("Suspended"))))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(409));
  }

  @Test
  void bucketDefaultKey_destructionRefusedNamingTheBucket_andAPutUnderADisabledDefaultSaysWhy()
      throws Exception {
    assertThat(server.admin("POST", "keys", "{\"alias\": \"hopital-nord\"}").status())
        .isEqualTo(201);
    s3.createBucket(b -> b.bucket("dossiers"));
    ServerSideEncryptionRule rule =
        ServerSideEncryptionRule.builder()
            .applyServerSideEncryptionByDefault(
                d -> d.sseAlgorithm("aws:kms").kmsMasterKeyID("alias/hopital-nord"))
            .build();
    s3.putBucketEncryption(
        b -> b.bucket("dossiers").serverSideEncryptionConfiguration(c -> c.rules(rule)));

    ServerProcess.Admin destroy =
        server.admin(
            "POST",
            "keys/alias/hopital-nord/destroy",
            "{\"override\": true, \"reason\": \"test\"}");
    assertThat(destroy.status()).as(destroy.body()).isEqualTo(400);
    assertThat(destroy.body()).contains("dossiers", "DeleteBucketEncryption");

    assertThat(server.admin("POST", "keys/alias/hopital-nord/disable", null).status())
        .isEqualTo(200);
    assertThatThrownBy(
            () ->
                s3.putObject(
                    b -> b.bucket("dossiers").key("scan.pdf"),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("scan")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("KMS.DisabledException");
              assertThat(e.awsErrorDetails().errorMessage())
                  .contains(
                      "default encryption of bucket dossiers",
                      "is disabled",
                      "PutBucketEncryption");
            });
  }

  @Test
  void adminJson_duplicateKeysRefused_andParserInternalsNeverShown() throws Exception {
    ServerProcess.Admin twice =
        server.admin("POST", "tenants", "{\"name\": \"mairie\", \"name\": \"prefecture\"}");
    assertThat(twice.status()).isEqualTo(400);
    assertThat(twice.body()).contains("MalformedJson", "Duplicate field 'name'");
    ServerProcess.Admin cut = server.admin("POST", "tenants", "{\"name\": \"mairie\"");
    assertThat(cut.status()).isEqualTo(400);
    assertThat(cut.body())
        .contains("MalformedJson")
        .doesNotContain("Source:", "StreamReadFeature", "REDACTED");
  }
}
