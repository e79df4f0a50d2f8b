package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The root key rotated while the server runs ({@code POST /admin/v1/root-key/rotate} through {@code
 * coffre admin root-key rotate --wait}) under a concurrent writer that keeps writing and reading
 * back: none of its requests fails, the pin names the new key alone at the end, and after a restart
 * every object (written before, during and after the rotation) reads back, the upload begun before
 * it completes, and the old key file can be destroyed.
 */
class OnlineRootKeyRotationIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Properties pin(ServerProcess server) throws Exception {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(server.dataDir().resolve("keys/root-key.pin"))) {
      p.load(in);
    }
    return p;
  }

  @Test
  void devKeyFile_rotatedOnline_underAConcurrentWriter_everythingReadsAfterRestart()
      throws Exception {
    ServerProcess server = ServerProcess.create();
    try {
      server.launch();
      String kmsArn =
          JSON.readTree(server.admin("POST", "keys", "{\"alias\":\"online-kms\"}").body())
              .get("arn")
              .asText();
      Map<String, byte[]> objects = new ConcurrentHashMap<>();
      Random random = new Random(17);
      byte[] part1 = new byte[5 * 1024 * 1024];
      random.nextBytes(part1);
      String uploadId;
      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        s3.createBucket(b -> b.bucket("online"));
        for (int i = 0; i < 30; i++) {
          byte[] body = new byte[100 + i * 37];
          random.nextBytes(body);
          String key = "before/" + i;
          if (i % 5 == 0) {
            s3.putObject(
                b ->
                    b.bucket("online")
                        .key(key)
                        .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                        .ssekmsKeyId(kmsArn),
                RequestBody.fromBytes(body));
          } else {
            s3.putObject(b -> b.bucket("online").key(key), RequestBody.fromBytes(body));
          }
          objects.put(key, body);
        }
        uploadId = s3.createMultipartUpload(b -> b.bucket("online").key("big")).uploadId();
        s3.uploadPart(
            b -> b.bucket("online").key("big").uploadId(uploadId).partNumber(1),
            RequestBody.fromBytes(part1));
      }
      String oldId = pin(server).getProperty("id");

      // The writer: PUT then GET, over and over, until the rotation has finished.
      AtomicBoolean stop = new AtomicBoolean();
      CopyOnWriteArrayList<String> failures = new CopyOnWriteArrayList<>();
      Thread writer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    Random r = new Random(23);
                    try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
                      for (int i = 0; !stop.get(); i++) {
                        byte[] body = new byte[200 + r.nextInt(5000)];
                        r.nextBytes(body);
                        String key = "during/" + i;
                        try {
                          s3.putObject(
                              b -> b.bucket("online").key(key), RequestBody.fromBytes(body));
                          objects.put(key, body);
                          byte[] back =
                              s3.getObjectAsBytes(b -> b.bucket("online").key(key)).asByteArray();
                          if (!java.util.Arrays.equals(back, body)) {
                            failures.add(key + ": read back other bytes");
                          }
                          String earlier = "before/" + (i % 30);
                          byte[] old =
                              s3.getObjectAsBytes(b -> b.bucket("online").key(earlier))
                                  .asByteArray();
                          if (!java.util.Arrays.equals(old, objects.get(earlier))) {
                            failures.add(earlier + ": read back other bytes");
                          }
                        } catch (RuntimeException e) {
                          failures.add(key + ": " + e);
                        }
                      }
                    }
                  });
      int writtenBefore = objects.size();
      ServerProcess.Admin rotate =
          ServerProcess.cli(
              Map.of("COFFRE_ADMIN_TOKEN", ServerProcess.ADMIN_TOKEN),
              "admin",
              "root-key",
              "rotate",
              "--url",
              server.adminEndpoint().toString(),
              "--batch-size",
              "3",
              "--settle-seconds",
              "2",
              "--wait");
      assertThat(rotate.status()).as(rotate.body()).isZero();
      assertThat(rotate.body()).contains("finished");
      Instant writeMore = Instant.now().plus(Duration.ofSeconds(1));
      while (Instant.now().isBefore(writeMore)) {
        Thread.sleep(100);
      }
      stop.set(true);
      writer.join();
      assertThat(failures).isEmpty();
      assertThat(objects.size()).isGreaterThan(writtenBefore);

      JsonNode status = JSON.readTree(server.admin("GET", "root-key/rotation", null).body());
      assertThat(status.path("state").asText()).isEqualTo("finished");
      String newId = status.path("keyId").asText();
      assertThat(newId).startsWith("file:").isNotEqualTo(oldId);
      assertThat(status.path("retired")).isEmpty();
      assertThat(status.path("rewrapped").path("objects").asInt()).isGreaterThanOrEqualTo(30);
      Properties after = pin(server);
      assertThat(after.getProperty("id")).isEqualTo(newId);
      assertThat(server.admin("GET", "status", null).body()).contains("file " + newId);
      assertThat(after.stringPropertyNames()).noneMatch(n -> n.startsWith("retired."));

      // Started again while the first is running: refused.
      ServerProcess.Admin first =
          server.admin("POST", "root-key/rotate", "{\"batchSize\":1,\"settleSeconds\":3}");
      assertThat(first.status()).as(first.body()).isEqualTo(202);
      ServerProcess.Admin again = server.admin("POST", "root-key/rotate", "{}");
      assertThat(again.status()).as(again.body()).isEqualTo(409);
      assertThat(again.body()).contains("running already");
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      String state = "";
      while (Instant.now().isBefore(deadline) && !state.equals("finished")) {
        Thread.sleep(300);
        state =
            JSON.readTree(server.admin("GET", "root-key/rotation", null).body())
                .path("state")
                .asText();
      }
      assertThat(state).isEqualTo("finished");
      String thirdId = pin(server).getProperty("id");
      server.close();

      // The old keys are destroyed: nothing needs them any more.
      try (Stream<Path> retired = Files.list(server.dataDir().resolve("keys/retired"))) {
        for (Path f : retired.toList()) {
          Files.delete(f);
        }
      }
      server.launch();
      assertThat(pin(server).getProperty("id")).isEqualTo(thirdId);
      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        for (Map.Entry<String, byte[]> e : objects.entrySet()) {
          assertThat(s3.getObjectAsBytes(b -> b.bucket("online").key(e.getKey())).asByteArray())
              .as(e.getKey())
              .isEqualTo(e.getValue());
        }
        String e1 =
            s3.listParts(b -> b.bucket("online").key("big").uploadId(uploadId))
                .parts()
                .get(0)
                .eTag();
        s3.completeMultipartUpload(
            b ->
                b.bucket("online")
                    .key("big")
                    .uploadId(uploadId)
                    .multipartUpload(
                        m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build())));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("online").key("big")).asByteArray())
            .isEqualTo(part1);
      }
      server.close();
      StringBuilder chain = new StringBuilder();
      try (Stream<Path> files = Files.list(server.dataDir().resolve("audit/_system"))) {
        for (Path f : files.sorted().toList()) {
          chain.append(Files.readString(f));
        }
      }
      assertThat(chain.toString())
          .contains("RootKeyRotationStarted", "RootKeyRewrapBatch", "RootKeyRotationFinished");
    } finally {
      server.close();
    }
  }

  @Test
  void sealedKey_onlineRotation_refusedNamingTheOfflineCommand_nothingChanges() throws Exception {
    Path passphrase = Files.createTempFile("coffre-online", ".pass");
    Files.writeString(passphrase, "une phrase de passe assez longue\n");
    ServerProcess server =
        ServerProcess.create()
            .withEnv(Map.of("COFFRE_ROOT_PASSPHRASE_FILE", passphrase.toString()));
    try {
      server.launch();
      ServerProcess.Admin refused = server.admin("POST", "root-key/rotate", "{}");
      for (int i = 0; i < 100 && refused.status() == 503; i++) {
        Thread.sleep(200); // still sealed: the passphrase file is read in the background
        refused = server.admin("POST", "root-key/rotate", "{}");
      }
      assertThat(refused.status()).as(refused.body()).isEqualTo(409);
      assertThat(refused.body())
          .contains("RotationRefused", "coffre root-key rotate --data DIR --passphrase-file");
      String id = pin(server).getProperty("id");
      ServerProcess.Admin status = server.admin("GET", "root-key/rotation", null);
      assertThat(JSON.readTree(status.body()).path("state").asText()).isEqualTo("idle");
      assertThat(JSON.readTree(status.body()).path("keyId").asText()).isEqualTo(id);
      assertThat(server.dataDir().resolve("keys/retired")).doesNotExist();
    } finally {
      server.close();
      Files.deleteIfExists(passphrase);
    }
  }

  /**
   * The signing key replaced on the running server ({@code coffre admin signing-key --rotate}): the
   * rotation is checkpointed under the old key, later checkpoints under the new one, both keys are
   * published, and the system chain verifies with both and with neither alone.
   */
  @Test
  void signingKey_rotatedOnline_theChainVerifiesWithTheOldAndTheNewKey() throws Exception {
    ServerProcess server = ServerProcess.create();
    try {
      server.launch();
      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        s3.createBucket(b -> b.bucket("signed"));
        s3.putObject(b -> b.bucket("signed").key("before"), RequestBody.fromString("avant"));
      }
      String before = server.admin("GET", "signing-key", null).body();
      ServerProcess.Admin rotated =
          ServerProcess.cli(
              Map.of("COFFRE_ADMIN_TOKEN", ServerProcess.ADMIN_TOKEN),
              "admin",
              "signing-key",
              "--rotate",
              "--json",
              "--url",
              server.adminEndpoint().toString());
      assertThat(rotated.status()).as(rotated.body()).isZero();
      JsonNode answer = JSON.readTree(rotated.body());
      assertThat(answer.path("retiredPublicKey").asText()).isEqualTo(before);
      String after = answer.path("publicKey").asText();
      assertThat(after).contains("BEGIN PUBLIC KEY").isNotEqualTo(before);
      assertThat(Files.readString(server.dataDir().resolve("keys/signing.pub"))).isEqualTo(after);
      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        s3.putObject(b -> b.bucket("signed").key("after"), RequestBody.fromString("après"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("signed").key("before")).asUtf8String())
            .isEqualTo("avant");
      }
      ServerProcess.Admin published = server.admin("GET", "signing-keys", null);
      assertThat(published.body().split("BEGIN PUBLIC KEY", -1)).hasSize(3);
    } finally {
      server.close(); // the last checkpoint, under the new key
    }
    Path system = server.dataDir().resolve("audit/_system");
    String pub = server.dataDir().resolve("keys/signing.pub").toString();
    String retired = server.dataDir().resolve("keys/signing-retired.pub").toString();
    ServerProcess.Admin both =
        ServerProcess.cli(
            Map.of(),
            "audit",
            "verify",
            system.toString(),
            "--public-key",
            pub,
            "--public-key",
            retired);
    assertThat(both.status()).as(both.body()).isZero();
    ServerProcess.Admin newOnly =
        ServerProcess.cli(Map.of(), "audit", "verify", system.toString(), "--public-key", pub);
    assertThat(newOnly.status()).as(newOnly.body()).isEqualTo(1);
    ServerProcess.Admin oldOnly =
        ServerProcess.cli(Map.of(), "audit", "verify", system.toString(), "--public-key", retired);
    assertThat(oldOnly.status()).as(oldOnly.body()).isEqualTo(1);
    String chain;
    try (Stream<Path> files = Files.list(system)) {
      StringBuilder b = new StringBuilder();
      for (Path f : files.sorted().toList()) {
        b.append(Files.readString(f));
      }
      chain = b.toString();
    }
    assertThat(chain).contains("SigningKeyRotated", "\"online\":true");
    assertThat(Files.readString(server.dataDir().resolve("keys/custody.log")))
        .contains("signing key rotated online");
  }
}
