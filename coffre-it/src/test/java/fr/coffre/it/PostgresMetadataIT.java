package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.metadata.PostgresServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Coffre with its metadata in PostgreSQL, end to end: a real PostgreSQL ({@link PostgresServer},
 * skipped where the {@code postgresql} package is not installed), a real server process started
 * with {@code --metadata} and the password in a file, the AWS SDK. Objects survive a restart of the
 * server; while the database is down requests fail quickly with S3 errors, and once it is back the
 * same process serves again.
 */
class PostgresMetadataIT {
  private static final String PASSWORD = "pg-it-password-0123";
  private static final String BUCKET = "on-postgres";

  /** A client that does not retry, so each request's own outcome and time are seen. */
  private static S3Client client(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY)))
        .forcePathStyle(true)
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
        .build();
  }

  @Test
  void objects_surviveAServerRestart_andADatabaseOutageEndsWithoutRestartingCoffre()
      throws Exception {
    try (PostgresServer pg = PostgresServer.start()) {
      pg.execute("postgres", "CREATE DATABASE coffre");
      pg.createPasswordRole("coffre", PASSWORD);
      Path work = Path.of(System.getProperty("coffre.it.workdir", "target/it-work"));
      Files.createDirectories(work);
      Path passwordFile = Files.createTempFile(work, "pg-password", "");
      Files.writeString(passwordFile, PASSWORD + "\n");
      String url =
          "postgresql://" + PostgresServer.PASSWORD_ROLE + "@127.0.0.1:" + pg.port() + "/coffre";
      try (ServerProcess server =
          ServerProcess.create("--metadata", url)
              .withEnv(Map.of("COFFRE_METADATA_PASSWORD_FILE", passwordFile.toString()))) {
        server.launch();
        byte[] big = new byte[5 * 1024 * 1024 + 17];
        new Random(3).nextBytes(big);
        try (S3Client s3 = client(server.endpoint())) {
          writeObjects(s3, big);
          readObjects(s3, big);
        }
        assertThat(server.dataDir().resolve("metadata.db")).doesNotExist();
        assertThat(Files.readString(server.dataDir().resolve("metadata.pin")))
            .contains("postgresql=");
        String log = Files.readString(server.log());
        assertThat(log).contains("metadata in PostgreSQL at " + url).doesNotContain(PASSWORD);

        server.close();
        server.launch();
        long pid = server.pid();
        try (S3Client s3 = client(server.endpoint())) {
          readObjects(s3, big);

          pg.stop("fast");
          for (int i = 0; i < 3; i++) {
            int n = i;
            Instant start = Instant.now();
            assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("a/1")))
                .isInstanceOfSatisfying(
                    S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(503));
            assertThatThrownBy(
                    () ->
                        s3.putObject(
                            b -> b.bucket(BUCKET).key("during-outage-" + n),
                            RequestBody.fromString("lost")))
                .isInstanceOfSatisfying(
                    S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(503));
            // A liveness bound, not a speed measure: each request ends (within the metadata
            // store's 5 s wait for a connection), none hangs.
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(25));
          }
          assertThat(ready(server)).isEqualTo(503);

          pg.startAgain();
          assertThat(server.pid()).isEqualTo(pid);
          awaitServing(s3);
          readObjects(s3, big);
          s3.putObject(b -> b.bucket(BUCKET).key("after-outage"), RequestBody.fromString("back"));
          assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("after-outage")).asUtf8String())
              .isEqualTo("back");
          assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("during-outage-0")))
              .isInstanceOf(NoSuchKeyException.class);
          assertThat(ready(server)).isEqualTo(200);
        }
        assertThat(Files.readString(server.log())).doesNotContain(PASSWORD);
      }
    }
  }

  private static void writeObjects(S3Client s3, byte[] big) {
    s3.createBucket(b -> b.bucket(BUCKET));
    s3.putObject(b -> b.bucket(BUCKET).key("a/1"), RequestBody.fromString("one"));
    s3.putObject(b -> b.bucket(BUCKET).key("a/2"), RequestBody.fromString("two"));
    s3.putObject(b -> b.bucket(BUCKET).key("é/z"), RequestBody.fromString("accent"));
    s3.putObject(b -> b.bucket(BUCKET).key("gone"), RequestBody.fromString("deleted soon"));
    s3.deleteObject(b -> b.bucket(BUCKET).key("gone"));
    var create = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("big"));
    List<CompletedPart> parts = new ArrayList<>();
    int partSize = 5 * 1024 * 1024;
    for (int n = 1; (n - 1) * partSize < big.length; n++) {
      int number = n;
      byte[] chunk =
          Arrays.copyOfRange(big, (n - 1) * partSize, Math.min(big.length, n * partSize));
      var part =
          s3.uploadPart(
              b -> b.bucket(BUCKET).key("big").uploadId(create.uploadId()).partNumber(number),
              RequestBody.fromBytes(chunk));
      parts.add(CompletedPart.builder().partNumber(n).eTag(part.eTag()).build());
    }
    s3.completeMultipartUpload(
        b ->
            b.bucket(BUCKET)
                .key("big")
                .uploadId(create.uploadId())
                .multipartUpload(m -> m.parts(parts)));
  }

  private static void readObjects(S3Client s3, byte[] big) {
    var top = s3.listObjectsV2(b -> b.bucket(BUCKET).delimiter("/"));
    assertThat(top.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("a/", "é/");
    assertThat(top.contents()).extracting(o -> o.key()).containsExactly("big");
    assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("a/")).contents())
        .extracting(o -> o.key())
        .containsExactly("a/1", "a/2");
    assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("a/1")).asUtf8String())
        .isEqualTo("one");
    assertThat(
            s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("é/z")).asString(StandardCharsets.UTF_8))
        .isEqualTo("accent");
    assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("big")).asByteArray()).isEqualTo(big);
    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("gone")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  /** Waits until a request succeeds again (the pool reconnects on its own), at most 30 s. */
  private static void awaitServing(S3Client s3) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (true) {
      try {
        s3.headBucket(b -> b.bucket(BUCKET));
        return;
      } catch (S3Exception e) {
        if (Instant.now().isAfter(deadline)) {
          throw e;
        }
        Thread.sleep(250);
      }
    }
  }

  private static int ready(ServerProcess server) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(server.opsEndpoint().resolve("/health/ready")).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }
  }
}
