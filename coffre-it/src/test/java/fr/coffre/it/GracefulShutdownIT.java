package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SIGTERM during an upload: the server stops accepting, lets the upload finish (it is answered 200
 * and durable), closes its stores and exits; after a restart the object reads back whole.
 */
class GracefulShutdownIT {
  private static final int SIZE = 4 * 1024 * 1024;

  /** A body that sends its first half, then waits for {@code go}, then sends the rest slowly. */
  private static InputStream slowBody(CountDownLatch started, CountDownLatch go) {
    return new InputStream() {
      private int sent;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (sent >= SIZE) {
          return -1;
        }
        if (sent >= SIZE / 2 && go.getCount() > 0) {
          started.countDown();
          try {
            go.await();
            Thread.sleep(500);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        int n = Math.min(Math.min(len, 64 * 1024), SIZE - sent);
        for (int i = 0; i < n; i++) {
          b[off + i] = (byte) (sent + i);
        }
        sent += n;
        return n;
      }
    };
  }

  @Test
  void sigterm_letsTheUploadInFlightFinish_thenExits() throws Exception {
    ServerProcess server = ServerProcess.start();
    try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
      s3.createBucket(b -> b.bucket("graceful"));
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch go = new CountDownLatch(1);
      CompletableFuture<String> upload =
          CompletableFuture.supplyAsync(
              () ->
                  s3.putObject(
                          b -> b.bucket("graceful").key("in-flight"),
                          RequestBody.fromContentProvider(
                              () -> slowBody(started, go), SIZE, "application/octet-stream"))
                      .eTag());
      started.await();
      server.terminate();
      Thread.sleep(300);
      go.countDown();
      assertThat(upload.get()).matches("\"[0-9a-f]{32}\"");
      assertThat(server.waitForExit(Duration.ofSeconds(30))).isNotEqualTo(-1);
    }
    server.launch();
    try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
      byte[] back = s3.getObjectAsBytes(b -> b.bucket("graceful").key("in-flight")).asByteArray();
      assertThat(back).hasSize(SIZE);
      for (int i = 0; i < SIZE; i += 4099) {
        assertThat(back[i]).isEqualTo((byte) i);
      }
    } finally {
      server.close();
    }
  }
}
