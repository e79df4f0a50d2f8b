package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.endpoints.EndpointUrl;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.s3control.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3control.model.S3ControlException;

/**
 * A tenant's account-level Block Public Access (S3 Control's PutPublicAccessBlock), set with the
 * AWS SDK's S3 Control client against a real server: it covers every bucket of the tenant, flag by
 * flag with each bucket's own setting, and only the tenant itself may set it.
 */
class AccountPublicAccessBlockIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ServerProcess server;
  private static String account;
  private static Identities.Key carolKey;
  private static S3Client carol;
  private static S3ControlClient control;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
    Identities ids = new Identities(server);
    account = ids.tenant("town-c");
    carolKey =
        ids.user(
            "town-c",
            "carol",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + "[\"s3:*\"],\"Resource\":\"*\"}]}");
    carol = carolKey.client(server);
    control = control(carolKey);
  }

  /**
   * S3 Control's endpoint rules prefix the host with the account id ({@code ACCOUNT.127.0.0.1},
   * which does not resolve); against a server addressed by IP the endpoint is given as it is (the
   * account still travels in {@code x-amz-account-id}).
   */
  private static S3ControlClient control(Identities.Key key) {
    return S3ControlClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(key.id(), key.secret())))
        .endpointProvider(
            params ->
                CompletableFuture.completedFuture(
                    Endpoint.builder().endpointUrl(EndpointUrl.fromUri(server.endpoint())).build()))
        .build();
  }

  @AfterAll
  static void stop() {
    control.close();
    carol.close();
    server.close();
  }

  private static int anonymousGet(String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(server.endpoint().resolve(path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static void block(boolean acls, boolean ignore) {
    control.putPublicAccessBlock(
        b ->
            b.accountId(account)
                .publicAccessBlockConfiguration(
                    c -> c.blockPublicAcls(acls).ignorePublicAcls(ignore)));
  }

  @Test
  void accountBlock_coversEveryBucket_untilDeleted() throws Exception {
    carol.createBucket(b -> b.bucket("town-c-open"));
    carol.putObject(
        b -> b.bucket("town-c-open").key("notice.txt").acl(ObjectCannedACL.PUBLIC_READ),
        RequestBody.fromString("public notice"));
    assertThat(anonymousGet("/town-c-open/notice.txt")).isEqualTo(200);
    assertThatThrownBy(() -> control.getPublicAccessBlock(b -> b.accountId(account)))
        .isInstanceOfSatisfying(
            S3ControlException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(404);
              assertThat(e.awsErrorDetails().errorCode())
                  .isEqualTo("NoSuchPublicAccessBlockConfiguration");
            });

    block(false, true);
    PublicAccessBlockConfiguration read =
        control.getPublicAccessBlock(b -> b.accountId(account)).publicAccessBlockConfiguration();
    assertThat(read.ignorePublicAcls()).isTrue();
    assertThat(read.blockPublicAcls()).isFalse();
    // The public grant stays but allows nothing; the bucket's own setting is untouched.
    assertThat(anonymousGet("/town-c-open/notice.txt")).isEqualTo(403);
    assertThatThrownBy(() -> carol.getPublicAccessBlock(b -> b.bucket("town-c-open")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));

    block(true, false);
    assertThat(anonymousGet("/town-c-open/notice.txt")).isEqualTo(200);
    assertThatThrownBy(
            () ->
                carol.putObject(
                    b -> b.bucket("town-c-open").key("more.txt").acl(ObjectCannedACL.PUBLIC_READ),
                    RequestBody.fromString("more")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorMessage()).contains("BlockPublicAcls"));
    assertThat(carol.listObjectsV2(b -> b.bucket("town-c-open")).contents()).hasSize(1);

    control.deletePublicAccessBlock(b -> b.accountId(account));
    carol.putObject(
        b -> b.bucket("town-c-open").key("more.txt").acl(ObjectCannedACL.PUBLIC_READ),
        RequestBody.fromString("more"));
    assertThat(anonymousGet("/town-c-open/more.txt")).isEqualTo(200);
  }

  @Test
  void anotherAccount_isRefused_andUnchanged() {
    assertThatThrownBy(
            () ->
                control.putPublicAccessBlock(
                    b ->
                        b.accountId("000000000000")
                            .publicAccessBlockConfiguration(c -> c.ignorePublicAcls(true))))
        .isInstanceOfSatisfying(
            S3ControlException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    try (S3ControlClient root =
        control(new Identities.Key(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY))) {
      assertThatThrownBy(() -> root.getPublicAccessBlock(b -> b.accountId("000000000000")))
          .isInstanceOfSatisfying(
              S3ControlException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }
  }
}
