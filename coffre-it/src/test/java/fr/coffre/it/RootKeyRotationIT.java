package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Root key and signing key rotation with a real server and the real command line: a server holds
 * SSE-S3 and SSE-KMS objects, a multipart upload in progress and a user's access key; the root key
 * is rotated offline in a pass stopped after two batches (the server starts and serves in the
 * middle, from its key ring), then resumed to the end; the retired key file is destroyed; the
 * signing key is rotated; and after a restart every object reads back, the upload completes, the
 * user's key signs, and the system audit chain verifies across the signing key rotation with the
 * retired public key (and not without it).
 */
class RootKeyRotationIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Properties pin(ServerProcess server) throws Exception {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(server.dataDir().resolve("keys/root-key.pin"))) {
      p.load(in);
    }
    return p;
  }

  private static void assertAllReadBack(ServerProcess server, Map<String, byte[]> objects) {
    try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
      for (Map.Entry<String, byte[]> e : objects.entrySet()) {
        assertThat(s3.getObjectAsBytes(b -> b.bucket("rotated").key(e.getKey())).asByteArray())
            .as(e.getKey())
            .isEqualTo(e.getValue());
      }
    }
  }

  private static ServerProcess.Admin coffre(String... args) throws Exception {
    return ServerProcess.cli(Map.of(), args);
  }

  private static void awaitReady(ServerProcess server) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
    int status = 0;
    while (java.time.Instant.now().isBefore(deadline)) {
      status =
          http.send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(server.opsEndpoint() + "/health/ready"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding())
              .statusCode();
      if (status == 200) {
        return;
      }
      Thread.sleep(200);
    }
    assertThat(status).isEqualTo(200);
  }

  @Test
  void sealedKey_rotatedUnderTheSamePassphrase_serverUnsealsTheRingMidPass() throws Exception {
    Path passphrase = Files.createTempFile("coffre-rotate", ".pass");
    Files.writeString(passphrase, "une phrase de passe assez longue\n");
    ServerProcess server =
        ServerProcess.create()
            .withEnv(Map.of("COFFRE_ROOT_PASSPHRASE_FILE", passphrase.toString()));
    try {
      server.launch();
      awaitReady(server);
      Map<String, byte[]> objects = new LinkedHashMap<>();
      Random random = new Random(11);
      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        s3.createBucket(b -> b.bucket("rotated"));
        for (int i = 0; i < 4; i++) {
          byte[] body = new byte[700 + i];
          random.nextBytes(body);
          s3.putObject(
              b -> b.bucket("rotated").key("s" + body.length), RequestBody.fromBytes(body));
          objects.put("s" + body.length, body);
        }
      }
      server.close();
      String oldId = pin(server).getProperty("id");
      String data = server.dataDir().toString();

      ServerProcess.Admin refused = coffre("root-key", "rotate", "--data", data);
      assertThat(refused.status()).as(refused.body()).isEqualTo(1);
      assertThat(refused.body()).contains("--passphrase-file");
      ServerProcess.Admin first =
          coffre(
              "root-key",
              "rotate",
              "--data",
              data,
              "--passphrase-file",
              passphrase.toString(),
              "--batch-size",
              "1",
              "--max-batches",
              "1");
      assertThat(first.status()).as(first.body()).isEqualTo(2);
      String newId = pin(server).getProperty("id");
      assertThat(newId).startsWith("sealed:").isNotEqualTo(oldId);

      // Mid-pass, the server unseals both keys with the one passphrase and reads everything.
      server.launch();
      awaitReady(server);
      assertAllReadBack(server, objects);
      server.close();

      ServerProcess.Admin second =
          coffre("root-key", "rotate", "--data", data, "--passphrase-file", passphrase.toString());
      assertThat(second.status()).as(second.body()).isZero();
      Files.delete(server.dataDir().resolve("keys/retired/" + oldId.replace(':', '-') + ".key"));
      server.launch();
      awaitReady(server);
      assertAllReadBack(server, objects);
    } finally {
      server.close();
      Files.deleteIfExists(passphrase);
    }
  }

  @Test
  void devKeyFile_rotatedInTwoRuns_oldKeyDestroyed_everythingStillReadsAndVerifies()
      throws Exception {
    ServerProcess server = ServerProcess.create();
    try {
      server.launch();
      Identities ids = new Identities(server);
      ids.tenant("town");
      Identities.Key user = ids.user("town", "clerk", Identities.FULL_ACCESS);
      String kmsArn =
          JSON.readTree(server.admin("POST", "keys", "{\"alias\":\"rot-kms\"}").body())
              .get("arn")
              .asText();
      Map<String, byte[]> objects = new LinkedHashMap<>();
      Random random = new Random(7);
      byte[] part1 = new byte[5 * 1024 * 1024];
      random.nextBytes(part1);
      String uploadId;
      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        s3.createBucket(b -> b.bucket("rotated"));
        for (int i = 0; i < 7; i++) {
          byte[] body = new byte[i == 0 ? 200 * 1024 + 3 : 50 + i * 311];
          random.nextBytes(body);
          String key = "sse-s3/" + i;
          s3.putObject(b -> b.bucket("rotated").key(key), RequestBody.fromBytes(body));
          objects.put(key, body);
        }
        for (int i = 0; i < 2; i++) {
          byte[] body = new byte[1000 + i];
          random.nextBytes(body);
          String key = "sse-kms/" + i;
          s3.putObject(
              b ->
                  b.bucket("rotated")
                      .key(key)
                      .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                      .ssekmsKeyId(kmsArn),
              RequestBody.fromBytes(body));
          objects.put(key, body);
        }
        uploadId = s3.createMultipartUpload(b -> b.bucket("rotated").key("big")).uploadId();
        s3.uploadPart(
            b -> b.bucket("rotated").key("big").uploadId(uploadId).partNumber(1),
            RequestBody.fromBytes(part1));
      }
      try (S3Client s3 = user.client(server)) {
        s3.createBucket(b -> b.bucket("clerk-bucket"));
        s3.putObject(b -> b.bucket("clerk-bucket").key("note"), RequestBody.fromString("hi"));
      }
      server.close();
      String oldId = pin(server).getProperty("id");
      String data = server.dataDir().toString();

      // First run: a new key, and a pass stopped after two batches of two rows.
      ServerProcess.Admin first =
          coffre("root-key", "rotate", "--data", data, "--batch-size", "2", "--max-batches", "2");
      assertThat(first.status()).as(first.body()).isEqualTo(2);
      assertThat(first.body())
          .contains("re-wrapped 2 objects", "Run `coffre root-key rotate` again");
      Properties mid = pin(server);
      String newId = mid.getProperty("id");
      assertThat(newId).startsWith("file:").isNotEqualTo(oldId);
      assertThat(mid.getProperty("format")).isEqualTo("2");
      assertThat(mid.getProperty("retired.1.id")).isEqualTo(oldId);
      Path retiredFile =
          server.dataDir().resolve("keys/retired/" + oldId.replace(':', '-') + ".key");
      assertThat(retiredFile).exists();

      // The server starts in the middle of the pass: it reads from its key ring.
      server.launch();
      assertAllReadBack(server, objects);
      server.close();

      // Second run: resumes (no third key) and finishes; the retired key leaves the pin.
      ServerProcess.Admin second = coffre("root-key", "rotate", "--data", data);
      assertThat(second.status()).as(second.body()).isZero();
      assertThat(second.body()).contains("root key is now " + newId, "nothing refers to " + oldId);
      Properties after = pin(server);
      assertThat(after.getProperty("id")).isEqualTo(newId);
      assertThat(after.getProperty("format")).isEqualTo("1");
      assertThat(after.stringPropertyNames()).noneMatch(n -> n.startsWith("retired."));
      // A run after the end is a new rotation, not a resumption; not needed here.

      // The operator destroys the old key file: nothing needs it any more.
      Files.delete(retiredFile);
      try (Stream<Path> keys = Files.walk(server.dataDir().resolve("keys"))) {
        assertThat(keys.filter(Files::isRegularFile))
            .noneMatch(f -> f.getFileName().toString().endsWith(".new"));
      }
      byte[] signingKeyFile = Files.readAllBytes(server.dataDir().resolve("keys/signing.key"));
      assertThat(new String(signingKeyFile, 0, newId.length())).isEqualTo(newId);

      ServerProcess.Admin signing = coffre("audit", "rotate-signing-key", "--data", data);
      assertThat(signing.status()).as(signing.body()).isZero();
      assertThat(server.dataDir().resolve("keys/signing-retired.pub")).exists();

      server.launch();
      assertAllReadBack(server, objects);
      byte[] part2 = "the end".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        String e1 =
            s3.listParts(b -> b.bucket("rotated").key("big").uploadId(uploadId))
                .parts()
                .get(0)
                .eTag();
        String e2 =
            s3.uploadPart(
                    b -> b.bucket("rotated").key("big").uploadId(uploadId).partNumber(2),
                    RequestBody.fromBytes(part2))
                .eTag();
        s3.completeMultipartUpload(
            b ->
                b.bucket("rotated")
                    .key("big")
                    .uploadId(uploadId)
                    .multipartUpload(
                        m ->
                            m.parts(
                                CompletedPart.builder().partNumber(1).eTag(e1).build(),
                                CompletedPart.builder().partNumber(2).eTag(e2).build())));
        byte[] whole = s3.getObjectAsBytes(b -> b.bucket("rotated").key("big")).asByteArray();
        assertThat(whole).hasSize(part1.length + part2.length);
        assertThat(java.util.Arrays.copyOf(whole, part1.length)).isEqualTo(part1);
        s3.putObject(b -> b.bucket("rotated").key("new"), RequestBody.fromString("after"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("rotated").key("new")).asUtf8String())
            .isEqualTo("after");
      }
      try (S3Client s3 = user.client(server)) {
        assertThat(s3.getObjectAsBytes(b -> b.bucket("clerk-bucket").key("note")).asUtf8String())
            .isEqualTo("hi");
      }
      ServerProcess.Admin published = server.admin("GET", "signing-keys", null);
      assertThat(published.status()).isEqualTo(200);
      assertThat(published.body().split("BEGIN PUBLIC KEY", -1)).hasSize(3);
      server.close();

      Path system = server.dataDir().resolve("audit/_system");
      String allSegments;
      try (Stream<Path> files = Files.list(system)) {
        StringBuilder b = new StringBuilder();
        for (Path f : files.sorted().toList()) {
          b.append(Files.readString(f));
        }
        allSegments = b.toString();
      }
      assertThat(allSegments)
          .contains(
              "RootKeyRotationStarted",
              "RootKeyRewrapBatch",
              "RootKeyRotationPaused",
              "RootKeyRotationResumed",
              "RootKeyRotationFinished",
              "SigningKeyRotated");
      String pub = server.dataDir().resolve("keys/signing.pub").toString();
      String retiredPub = server.dataDir().resolve("keys/signing-retired.pub").toString();
      ServerProcess.Admin verified =
          coffre(
              "audit",
              "verify",
              system.toString(),
              "--public-key",
              pub,
              "--public-key",
              retiredPub);
      assertThat(verified.status()).as(verified.body()).isZero();
      ServerProcess.Admin newKeyOnly =
          coffre("audit", "verify", system.toString(), "--public-key", pub);
      assertThat(newKeyOnly.status()).as(newKeyOnly.body()).isEqualTo(1);
      assertThat(newKeyOnly.body()).contains("another key");
    } finally {
      server.close();
    }
  }
}
