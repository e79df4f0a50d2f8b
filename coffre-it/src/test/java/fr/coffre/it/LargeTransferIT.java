package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.CompletedFileUpload;

/**
 * The AWS SDK v2 S3TransferManager moving 1 GiB up and down through a server whose heap is capped
 * at 128 MiB: the content streams (encrypted part by part) and is never held in memory. The
 * server's resident memory is sampled throughout and reported.
 */
class LargeTransferIT {
  private static final long SIZE = 1024L * 1024 * 1024;
  private static ServerProcess server;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start("128m");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The resident set size of a process in KiB, from /proc. */
  private static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      // process gone or no /proc: no sample
    }
    return 0;
  }

  @Test
  void transferManager_oneGibUpAndDown_throughA128MibHeap() throws Exception {
    Path source = work.resolve("one-gib.bin");
    try (InputStream in = CoreScenariosIT.content(SIZE, 42)) {
      Files.copy(in, source);
    }
    String expected = CoreScenariosIT.sha256(Files.newInputStream(source));
    AtomicLong peak = new AtomicLong();
    long before = rssKib(server.pid());
    Thread sampler =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(rssKib(server.pid()), Math::max);
                    try {
                      Thread.sleep(100);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    try (S3AsyncClient client =
            S3AsyncClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .multipartEnabled(true)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(
                            ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY)))
                .build();
        S3TransferManager tm = S3TransferManager.builder().s3Client(client).build()) {
      client.createBucket(b -> b.bucket("large")).join();
      CompletedFileUpload up =
          tm.uploadFile(
                  u -> u.source(source).putObjectRequest(p -> p.bucket("large").key("one-gib")))
              .completionFuture()
              .join();
      assertThat(up.response().eTag()).matches("\"[0-9a-f]{32}-\\d+\"");
      Path back = work.resolve("back.bin");
      tm.downloadFile(
              d -> d.destination(back).getObjectRequest(g -> g.bucket("large").key("one-gib")))
          .completionFuture()
          .join();
      assertThat(Files.size(back)).isEqualTo(SIZE);
      assertThat(CoreScenariosIT.sha256(Files.newInputStream(back))).isEqualTo(expected);
    } finally {
      sampler.interrupt();
    }
    System.out.printf(
        "LargeTransferIT: server RSS %d MiB before, peak %d MiB during 1 GiB up+down (heap cap 128 MiB)%n",
        before / 1024, peak.get() / 1024);
    assertThat(peak.get()).as("peak RSS in KiB").isLessThan(600L * 1024);
  }
}
