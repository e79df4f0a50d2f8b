package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A data volume that fills up (a small tmpfs mounted on DATA/volume, so the test needs root; it is
 * skipped where mounting is refused): once under its free-space reserve, every write is refused
 * before a byte is written, {@code 503 SlowDown} with {@code Retry-After}, while reads and deletes
 * go on; freeing space lets writes in again without a restart. A volume remounted read-only is
 * treated the same.
 */
class DiskFullIT {
  private static final long MIB = 1 << 20;

  private static boolean run(String... command) {
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Fills {@code file} until the file system has about {@code leave} bytes usable. */
  private static void fillLeaving(Path file, long leave) throws IOException {
    long usable = Files.getFileStore(file.getParent()).getUsableSpace();
    byte[] chunk = new byte[64 * 1024];
    long toWrite = usable - leave;
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < toWrite; written += chunk.length) {
        out.write(chunk);
      }
    }
  }

  private static void assertSlowDown(Runnable write) {
    assertThatThrownBy(write::run)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(503);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
              assertThat(e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After"))
                  .contains("5");
            });
  }

  @Test
  void aFullVolume_refusesWrites_servesReadsAndDeletes_andRecoversWithoutARestart()
      throws Exception {
    ServerProcess server =
        ServerProcess.create().withEnv(Map.of("COFFRE_LIMITS_VOLUME_RESERVE", "4MiB"));
    Path volume = server.dataDir().resolve("volume");
    Files.createDirectories(volume);
    assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", volume.toString()),
        "mounting a small tmpfs needs root; this machine refused");
    Path filler = volume.resolve("filler");
    try (server) {
      server.launch();
      try (S3Client s3 = S3Clients.modern(server.endpoint());
          // Refusals checked without the SDK's retries (it waits Retry-After between attempts).
          S3Client once =
              S3Client.builder()
                  .endpointOverride(server.endpoint())
                  .region(Region.US_EAST_1)
                  .credentialsProvider(
                      StaticCredentialsProvider.create(
                          AwsBasicCredentials.create(
                              ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY)))
                  .forcePathStyle(true)
                  .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                  .build()) {
        s3.createBucket(b -> b.bucket("full"));
        s3.putObject(b -> b.bucket("full").key("kept"), RequestBody.fromString("kept"));
        s3.putObject(b -> b.bucket("full").key("doomed"), RequestBody.fromString("doomed"));
        String upload = s3.createMultipartUpload(b -> b.bucket("full").key("multi")).uploadId();
        String etag =
            s3.uploadPart(
                    b -> b.bucket("full").key("multi").uploadId(upload).partNumber(1),
                    RequestBody.fromString("part one"))
                .eTag();

        fillLeaving(filler, 2 * MIB); // 2 MiB left, under the 4 MiB reserve
        long before = Files.getFileStore(volume).getUsableSpace();

        assertSlowDown(
            () -> once.putObject(b -> b.bucket("full").key("new"), RequestBody.fromString("new")));
        assertSlowDown(
            () ->
                once.copyObject(
                    b ->
                        b.sourceBucket("full")
                            .sourceKey("kept")
                            .destinationBucket("full")
                            .destinationKey("copy")));
        assertSlowDown(
            () ->
                once.uploadPart(
                    b -> b.bucket("full").key("multi").uploadId(upload).partNumber(2),
                    RequestBody.fromString("part two")));
        assertSlowDown(
            () ->
                once.completeMultipartUpload(
                    b ->
                        b.bucket("full")
                            .key("multi")
                            .uploadId(upload)
                            .multipartUpload(
                                m ->
                                    m.parts(
                                        List.of(
                                            CompletedPart.builder()
                                                .partNumber(1)
                                                .eTag(etag)
                                                .build())))));
        // The SDK as it ships retries SlowDown, waiting Retry-After, then reports it.
        long t0 = System.nanoTime();
        assertSlowDown(
            () -> s3.putObject(b -> b.bucket("full").key("new"), RequestBody.fromString("new")));
        System.out.println(
            "DiskFullIT: a PUT with the SDK's default retries refused after "
                + (System.nanoTime() - t0) / 1_000_000
                + " ms");
        // Nothing was written to the volume by the refused writes.
        assertThat(Files.getFileStore(volume).getUsableSpace()).isGreaterThanOrEqualTo(before);

        // Reads, listings and deletes go on.
        assertThat(s3.getObjectAsBytes(b -> b.bucket("full").key("kept")).asUtf8String())
            .isEqualTo("kept");
        assertThat(s3.listObjectsV2(b -> b.bucket("full")).contents()).hasSize(2);
        s3.deleteObject(b -> b.bucket("full").key("doomed"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("full").key("doomed")))
            .isInstanceOf(NoSuchKeyException.class);

        // Space freed: writes come back at once, the same process.
        Files.delete(filler);
        s3.putObject(b -> b.bucket("full").key("new"), RequestBody.fromString("new"));
        s3.completeMultipartUpload(
            b ->
                b.bucket("full")
                    .key("multi")
                    .uploadId(upload)
                    .multipartUpload(
                        m ->
                            m.parts(
                                List.of(
                                    CompletedPart.builder().partNumber(1).eTag(etag).build()))));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("full").key("multi")).asUtf8String())
            .isEqualTo("part one");

        // A volume remounted read-only: writes refused the same way, reads served.
        assertThat(run("mount", "-o", "remount,ro", volume.toString())).isTrue();
        try {
          assertSlowDown(
              () -> once.putObject(b -> b.bucket("full").key("ro"), RequestBody.fromString("ro")));
          assertThat(s3.getObjectAsBytes(b -> b.bucket("full").key("new")).asUtf8String())
              .isEqualTo("new");
        } finally {
          run("mount", "-o", "remount,rw", volume.toString());
        }
        s3.putObject(b -> b.bucket("full").key("ro"), RequestBody.fromString("rw again"));
      }
      String log = Files.readString(server.log());
      assertThat(log).contains("volume default is full").contains("volume default takes writes");
    } finally {
      run("umount", volume.toString());
    }
  }
}
