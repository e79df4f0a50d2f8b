package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.coffre.audit.AuditVerifier;
import fr.coffre.audit.VerifyReport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The trail under stress: a SIGKILL in the middle of a load loses no acknowledged request's record
 * and leaves a chain that verifies; a trail that cannot be written (its file system full) refuses
 * changes, changes nothing unrecorded, and recovers when space comes back.
 */
class AuditDurabilityIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Set<String> recordedOk(String export) throws IOException {
    Set<String> ids = new HashSet<>();
    for (String line : export.split("\n")) {
      JsonNode n = JSON.readTree(line);
      if (n.path("type").asText().equals("record")
          && n.path("status").asInt() / 100 == 2
          && n.has("requestId")) {
        ids.add(n.get("requestId").asText());
      }
    }
    return ids;
  }

  private static VerifyReport verify(ServerProcess server, Path file) throws IOException {
    return AuditVerifier.verify(
        file, Files.readString(server.dataDir().resolve("keys/signing.pub")));
  }

  @Test
  void killDuringLoad_everyAcknowledgedRequestHasItsRecord_andTheChainsVerify(@TempDir Path dir)
      throws Exception {
    try (ServerProcess server = ServerProcess.start()) {
      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
        s3.createBucket(r -> r.bucket("crash"));
      }
      Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
                        for (int i = 0; !stop.get(); i++) {
                          String key = "t" + thread + "/" + (i / 2);
                          try {
                            String id =
                                i % 2 == 0
                                    ? s3.putObject(
                                            r -> r.bucket("crash").key(key),
                                            RequestBody.fromString("x".repeat(4096)))
                                        .responseMetadata()
                                        .requestId()
                                    : s3.getObjectAsBytes(r -> r.bucket("crash").key(key))
                                        .response()
                                        .responseMetadata()
                                        .requestId();
                            acknowledged.add(id);
                          } catch (RuntimeException e) {
                            // the server is gone: unacknowledged
                          }
                        }
                      }
                    }));
      }
      // Killed once the load is well under way; how long that takes is the machine's, not Coffre's.
      long deadline = System.nanoTime() + 120_000_000_000L;
      Thread.sleep(3000);
      while (acknowledged.size() <= 50 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      server.kill();
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      assertThat(acknowledged).hasSizeGreaterThan(50);
      server.launch();

      ServerProcess.Admin export = server.admin("GET", "audit/default", null);
      assertThat(export.status()).isEqualTo(200);
      Path file = dir.resolve("default.jsonl");
      Files.writeString(file, export.body());
      VerifyReport report = verify(server, file);
      assertThat(report.ok()).as(report.describe()).isTrue();
      Set<String> recorded = recordedOk(export.body());
      assertThat(recorded).containsAll(acknowledged);

      ServerProcess.Admin system = server.admin("GET", "audit/_system", null);
      Path sys = dir.resolve("system.jsonl");
      Files.writeString(sys, system.body());
      assertThat(verify(server, sys).ok()).isTrue();
      assertThat(system.body().split("ServerStart", -1)).hasSize(3); // two starts, one kill
    }
  }

  private static boolean mountSmallTmpfs(Path at) {
    try {
      Process p =
          new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", at.toString())
              .redirectErrorStream(true)
              .start();
      return p.waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static void umount(Path at) throws Exception {
    new ProcessBuilder("umount", at.toString()).inheritIO().start().waitFor();
  }

  private static void fill(Path file) {
    byte[] chunk = new byte[4096];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(chunk);
        out.flush();
      }
    } catch (IOException full) {
      // the file system is full
    }
  }

  private static boolean refusedExists;
  private static String refusedName;

  @Test
  void aTrailThatCannotBeWritten_refusesChanges_andRecovers(@TempDir Path dir) throws Exception {
    ServerProcess server = ServerProcess.create();
    Path audit = server.dataDir().resolve("audit");
    Files.createDirectories(audit);
    assumeTrue(mountSmallTmpfs(audit), "mounting a small tmpfs needs root; this machine refused");
    try {
      server.launch();
      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
        s3.createBucket(r -> r.bucket("full"));
        s3.putObject(r -> r.bucket("full").key("before.txt"), RequestBody.fromString("before"));
        Path filler = audit.resolve("filler");
        fill(filler);

        // The last page of the segment may still hold a record or two: write until refused.
        String refused = null;
        for (int i = 0; i < 50 && refused == null; i++) {
          String key = "during-" + i + ".txt";
          try {
            s3.putObject(r -> r.bucket("full").key(key), RequestBody.fromString("during"));
          } catch (S3Exception e) {
            assertThat(e.statusCode()).isEqualTo(503);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
            refused = key;
          }
        }
        assertThat(refused).as("a PUT refused once the trail is full").isNotNull();
        String refusedKey = refused;
        HttpResponse<String> ready;
        try (HttpClient http = HttpClient.newHttpClient()) {
          ready =
              http.send(
                  HttpRequest.newBuilder(URI.create(server.opsEndpoint() + "/health/ready"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
        }
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"audit\":\"down\"");

        Files.delete(filler);
        boolean exists;
        try {
          s3.headObject(r -> r.bucket("full").key(refusedKey));
          exists = true;
        } catch (NoSuchKeyException e) {
          exists = false;
        }
        s3.putObject(r -> r.bucket("full").key("after.txt"), RequestBody.fromString("after"));
        refusedExists = exists;
        refusedName = refusedKey;
      }
      ServerProcess.Admin export = server.admin("GET", "audit/default", null);
      Path file = dir.resolve("default.jsonl");
      Files.writeString(file, export.body(), StandardCharsets.UTF_8);
      VerifyReport report = verify(server, file);
      assertThat(report.ok()).as(report.describe()).isTrue();
      assertThat(export.body())
          .contains("\"key\":\"before.txt\"")
          .contains("\"key\":\"after.txt\"");
      // Nothing changed unrecorded: a refused PUT either changed nothing, or its start is recorded.
      boolean startRecorded = false;
      for (String line : export.body().split("\n")) {
        JsonNode n = JSON.readTree(line);
        if (refusedName.equals(n.path("key").asText(null))
            && n.path("operation").asText().equals("PutObject")) {
          assertThat(n.get("status").asInt()).as(line).isNotEqualTo(200);
          startRecorded |= n.get("status").asInt() == 0;
        }
      }
      if (refusedExists) {
        assertThat(startRecorded)
            .as(refusedName + " exists, so its start must be in the trail")
            .isTrue();
      }
    } finally {
      server.close();
      umount(audit);
    }
  }
}
