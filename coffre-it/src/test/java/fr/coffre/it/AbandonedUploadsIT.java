package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Uploads left unfinished are aborted after {@code --upload-expiry} and their parts' blobs deleted
 * from disk, while completed objects stay.
 */
class AbandonedUploadsIT {
  private static long blobFiles(Path data) throws Exception {
    Path blobs = data.resolve("volume").resolve("blobs");
    if (!Files.exists(blobs)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(blobs)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void unfinishedUpload_isAbortedAfterTheExpiry_andItsPartsReclaimed() throws Exception {
    try (ServerProcess server = ServerProcess.start("256m", "--upload-expiry", "6s");
        S3Client s3 = S3Clients.modern(server.endpoint())) {
      s3.createBucket(b -> b.bucket("sweep"));
      s3.putObject(b -> b.bucket("sweep").key("kept"), RequestBody.fromString("stays"));
      String id = s3.createMultipartUpload(b -> b.bucket("sweep").key("abandoned")).uploadId();
      s3.uploadPart(
          b -> b.bucket("sweep").key("abandoned").uploadId(id).partNumber(1),
          RequestBody.fromString("part one"));
      s3.uploadPart(
          b -> b.bucket("sweep").key("abandoned").uploadId(id).partNumber(2),
          RequestBody.fromString("part two"));
      assertThat(s3.listMultipartUploads(b -> b.bucket("sweep")).uploads()).hasSize(1);
      assertThat(blobFiles(server.dataDir())).isEqualTo(3);

      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (!s3.listMultipartUploads(b -> b.bucket("sweep")).uploads().isEmpty()
          && Instant.now().isBefore(deadline)) {
        Thread.sleep(200);
      }
      assertThat(s3.listMultipartUploads(b -> b.bucket("sweep")).uploads()).isEmpty();
      assertThat(blobFiles(server.dataDir())).isEqualTo(1);
      assertThat(s3.getObjectAsBytes(b -> b.bucket("sweep").key("kept")).asUtf8String())
          .isEqualTo("stays");
    }
  }
}
