package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * kill -9 during concurrent uploads: after a restart every acknowledged object is intact, nothing
 * partial is listed, and no temporary or orphan blob remains.
 */
class CrashRecoveryIT {

  @Test
  void kill9_duringConcurrentUploads_loosesNothingAcknowledgedAndShowsNothingPartial()
      throws Exception {
    try (ServerProcess server = ServerProcess.start()) {
      Map<String, String> acknowledged = new ConcurrentHashMap<>();
      AtomicBoolean stop = new AtomicBoolean();
      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
        s3.createBucket(b -> b.bucket("crash"));
        List<Thread> writers = new java.util.ArrayList<>();
        for (int w = 0; w < 8; w++) {
          int writer = w;
          writers.add(
              Thread.ofVirtual()
                  .start(
                      () -> {
                        for (int i = 0; !stop.get(); i++) {
                          String key = "w" + writer + "/o" + i;
                          long size =
                              64 * 1024 + (writer * 7919L + i * 104729L) % (4 * 1024 * 1024);
                          long seed = writer * 1_000_003L + i;
                          try {
                            s3.putObject(
                                b -> b.bucket("crash").key(key),
                                RequestBody.fromContentProvider(
                                    () -> CoreScenariosIT.content(size, seed),
                                    size,
                                    "application/octet-stream"));
                            acknowledged.put(
                                key, CoreScenariosIT.sha256(CoreScenariosIT.content(size, seed)));
                          } catch (Exception e) {
                            return; // the server is gone: this upload was never acknowledged
                          }
                        }
                      }));
        }
        Thread.sleep(3000);
        server.kill();
        stop.set(true);
        for (Thread t : writers) {
          t.join();
        }
      }
      assertThat(acknowledged).isNotEmpty();
      server.launch();
      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
          try (var in = s3.getObject(b -> b.bucket("crash").key(e.getKey()))) {
            assertThat(CoreScenariosIT.sha256(in)).as(e.getKey()).isEqualTo(e.getValue());
          }
        }
        List<S3Object> listed =
            s3.listObjectsV2Paginator(b -> b.bucket("crash")).contents().stream().toList();
        for (S3Object o : listed) {
          try (var in = s3.getObject(b -> b.bucket("crash").key(o.key()))) {
            assertThat(in.transferTo(java.io.OutputStream.nullOutputStream()))
                .as(o.key())
                .isEqualTo(o.size());
          }
        }
        assertThat(listed.size()).isGreaterThanOrEqualTo(acknowledged.size());
        Path volume = server.dataDir().resolve("volume");
        try (Stream<Path> tmp = Files.list(volume.resolve("tmp"))) {
          assertThat(tmp.count()).as("temporaries left").isZero();
        }
        try (Stream<Path> blobs = Files.walk(volume.resolve("blobs"))) {
          assertThat(blobs.filter(Files::isRegularFile).count())
              .as("blobs vs listed objects")
              .isEqualTo(listed.size());
        }
      }
    }
  }
}
