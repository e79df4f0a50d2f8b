package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.coffre.metadata.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The offline root key rotation where the key or the metadata is not in the data directory: the
 * metadata in a real PostgreSQL ({@link PostgresServer}), and the root key in a real PKCS#11 token
 * (SoftHSM2). Each writes SSE-S3 and SSE-KMS objects, a multipart upload in progress and a user's
 * access key, rotates with the real command line, restarts, and reads everything back; the old key
 * has left the pin and the system audit chain records the rotation.
 */
class RootKeyRotationBackendsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so";
  private static final String HSM_PIN = "4711-rotate";
  @TempDir Path work;

  /** What a server held before the rotation, to be checked after it. */
  private record Written(
      Map<String, byte[]> objects, String uploadId, byte[] part1, Identities.Key user) {}

  private static Written write(ServerProcess server) throws Exception {
    Identities ids = new Identities(server);
    ids.tenant("town");
    Identities.Key user = ids.user("town", "clerk", Identities.FULL_ACCESS);
    String kmsArn =
        JSON.readTree(server.admin("POST", "keys", "{\"alias\":\"rot-kms\"}").body())
            .get("arn")
            .asText();
    Map<String, byte[]> objects = new LinkedHashMap<>();
    Random random = new Random(5);
    byte[] part1 = new byte[5 * 1024 * 1024];
    random.nextBytes(part1);
    String uploadId;
    try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
      s3.createBucket(b -> b.bucket("rotated"));
      for (int i = 0; i < 5; i++) {
        byte[] body = new byte[100 + i * 1000];
        random.nextBytes(body);
        String key = "sse-s3/" + i;
        s3.putObject(b -> b.bucket("rotated").key(key), RequestBody.fromBytes(body));
        objects.put(key, body);
      }
      for (int i = 0; i < 2; i++) {
        byte[] body = new byte[900 + i];
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
    return new Written(objects, uploadId, part1, user);
  }

  private static void readAll(ServerProcess server, Written w) {
    try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
      for (Map.Entry<String, byte[]> e : w.objects().entrySet()) {
        assertThat(s3.getObjectAsBytes(b -> b.bucket("rotated").key(e.getKey())).asByteArray())
            .as(e.getKey())
            .isEqualTo(e.getValue());
      }
    }
    try (S3Client s3 = w.user().client(server)) {
      assertThat(s3.getObjectAsBytes(b -> b.bucket("clerk-bucket").key("note")).asUtf8String())
          .isEqualTo("hi");
    }
  }

  /** Completes the upload begun before the rotation: its data key was re-wrapped too. */
  private static void completeUpload(ServerProcess server, Written w) {
    byte[] part2 = "the end".getBytes(StandardCharsets.UTF_8);
    try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
      String e1 =
          s3.listParts(b -> b.bucket("rotated").key("big").uploadId(w.uploadId()))
              .parts()
              .get(0)
              .eTag();
      String e2 =
          s3.uploadPart(
                  b -> b.bucket("rotated").key("big").uploadId(w.uploadId()).partNumber(2),
                  RequestBody.fromBytes(part2))
              .eTag();
      s3.completeMultipartUpload(
          b ->
              b.bucket("rotated")
                  .key("big")
                  .uploadId(w.uploadId())
                  .multipartUpload(
                      m ->
                          m.parts(
                              CompletedPart.builder().partNumber(1).eTag(e1).build(),
                              CompletedPart.builder().partNumber(2).eTag(e2).build())));
      byte[] whole = s3.getObjectAsBytes(b -> b.bucket("rotated").key("big")).asByteArray();
      assertThat(whole).hasSize(w.part1().length + part2.length);
      assertThat(Arrays.copyOf(whole, w.part1().length)).isEqualTo(w.part1());
    }
  }

  private static Properties pin(ServerProcess server) throws Exception {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(server.dataDir().resolve("keys/root-key.pin"))) {
      p.load(in);
    }
    return p;
  }

  private static String systemChain(ServerProcess server) throws Exception {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.list(server.dataDir().resolve("audit/_system"))) {
      for (Path f : files.sorted().toList()) {
        b.append(Files.readString(f));
      }
    }
    return b.toString();
  }

  @Test
  void postgresqlMetadata_rotatedWithConfigFile_everythingReadsAfterRestart() throws Exception {
    PostgresServer pg = PostgresServer.shared();
    String database = pg.createDatabase();
    String password = "pg-rotate-it-password";
    pg.createPasswordRole(database, password);
    Path passwordFile = work.resolve("pg-password");
    Files.writeString(passwordFile, password + "\n");
    String url =
        "postgresql://" + PostgresServer.PASSWORD_ROLE + "@127.0.0.1:" + pg.port() + "/" + database;
    ServerProcess server =
        ServerProcess.create("--metadata", url)
            .withEnv(Map.of("COFFRE_METADATA_PASSWORD_FILE", passwordFile.toString()));
    try {
      server.launch();
      Written w = write(server);
      server.close();
      String oldId = pin(server).getProperty("id");
      String data = server.dataDir().toString();

      // Without the database the SQLite file is looked for: refused, nothing changed.
      ServerProcess.Admin noUrl = ServerProcess.cli(Map.of(), "root-key", "rotate", "--data", data);
      assertThat(noUrl.status()).as(noUrl.body()).isEqualTo(1);
      assertThat(noUrl.body()).contains("PostgreSQL", "Nothing was changed");
      assertThat(pin(server).getProperty("id")).isEqualTo(oldId);

      // A database in which cluster nodes are registered: refused, naming them.
      pg.execute(
          database,
          "INSERT INTO cluster_nodes VALUES ('node-x', 'paris', '127.0.0.1:1', 'i1', 0, 0,"
              + " 'ACTIVE')");
      ServerProcess.Admin inCluster =
          ServerProcess.cli(
              Map.of("COFFRE_METADATA_PASSWORD_FILE", passwordFile.toString()),
              "root-key",
              "rotate",
              "--data",
              data,
              "--metadata",
              url);
      assertThat(inCluster.status()).as(inCluster.body()).isEqualTo(1);
      assertThat(inCluster.body()).contains("cluster nodes [node-x]", "Nothing was changed");
      assertThat(pin(server).getProperty("id")).isEqualTo(oldId);
      pg.execute(database, "DELETE FROM cluster_nodes");

      // The metadata URL and password file from a configuration file, as the server reads them;
      // a first run stopped after one batch, then a second that finishes.
      Path config = work.resolve("coffre.yaml");
      Files.writeString(
          config,
          "data: "
              + data
              + "\nmetadata:\n  url: "
              + url
              + "\n  password-file: "
              + passwordFile
              + "\n");
      ServerProcess.Admin first =
          ServerProcess.cli(
              Map.of(),
              "root-key",
              "rotate",
              "--config",
              config.toString(),
              "--batch-size",
              "2",
              "--max-batches",
              "1");
      assertThat(first.status()).as(first.body()).isEqualTo(2);
      String newId = pin(server).getProperty("id");
      assertThat(newId).startsWith("file:").isNotEqualTo(oldId);
      assertThat(pin(server).getProperty("retired.1.id")).isEqualTo(oldId);

      // Mid-pass the server reads from its key ring.
      server.launch();
      readAll(server, w);
      server.close();

      ServerProcess.Admin second =
          ServerProcess.cli(
              Map.of("COFFRE_METADATA_PASSWORD_FILE", passwordFile.toString()),
              "root-key",
              "rotate",
              "--data",
              data,
              "--metadata",
              url);
      assertThat(second.status()).as(second.body()).isZero();
      assertThat(second.body()).contains("nothing refers to " + oldId);
      Properties after = pin(server);
      assertThat(after.getProperty("id")).isEqualTo(newId);
      assertThat(after.stringPropertyNames()).noneMatch(n -> n.startsWith("retired."));

      // The old key is destroyed: everything still reads, the upload completes.
      Files.delete(server.dataDir().resolve("keys/retired/" + oldId.replace(':', '-') + ".key"));
      server.launch();
      readAll(server, w);
      completeUpload(server, w);
      server.close();
      assertThat(systemChain(server))
          .contains("RootKeyRotationStarted", "RootKeyRotationResumed", "RootKeyRotationFinished");
    } finally {
      server.close();
      pg.dropDatabase(database);
    }
  }

  @Test
  void hsmKey_rotatedToANewLabel_oldLabelRefusedAtStart_everythingReads() throws Exception {
    assumeTrue(
        Files.isReadable(Path.of(SOFTHSM)), "SoftHSM2 is not installed (apt-get install softhsm2)");
    Path tokens = Files.createDirectories(work.resolve("tokens"));
    Path conf = work.resolve("softhsm2.conf");
    Files.writeString(
        conf,
        "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    ProcessBuilder pb =
        new ProcessBuilder(
                "softhsm2-util",
                "--init-token",
                "--free",
                "--label",
                "coffre",
                "--pin",
                HSM_PIN,
                "--so-pin",
                "so-" + HSM_PIN)
            .redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", conf.toString());
    Process p = pb.start();
    String init = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(init).isZero();
    Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(init);
    assertThat(slot.find()).as(init).isTrue();
    Map<String, String> env =
        Map.of(
            "SOFTHSM2_CONF",
            conf.toString(),
            "COFFRE_PKCS11_LIBRARY",
            SOFTHSM,
            "COFFRE_PKCS11_SLOT",
            slot.group(1),
            "COFFRE_PKCS11_PIN",
            HSM_PIN);
    ServerProcess server = ServerProcess.create().withEnv(env);
    try {
      server.launch();
      Written w = write(server);
      server.close();
      assertThat(pin(server).getProperty("id")).isEqualTo("pkcs11:coffre-root");
      String data = server.dataDir().toString();

      // Without the token's settings: refused, naming them.
      ServerProcess.Admin noToken =
          ServerProcess.cli(
              Map.of("SOFTHSM2_CONF", conf.toString()), "root-key", "rotate", "--data", data);
      assertThat(noToken.status()).as(noToken.body()).isEqualTo(1);
      assertThat(noToken.body()).contains("COFFRE_PKCS11_LIBRARY");

      // First run: a new key in the token, and a pass stopped after one batch.
      ServerProcess.Admin first =
          ServerProcess.cli(
              env,
              "root-key",
              "rotate",
              "--data",
              data,
              "--new-label",
              "coffre-root-2",
              "--batch-size",
              "2",
              "--max-batches",
              "1");
      assertThat(first.status()).as(first.body()).isEqualTo(2);
      assertThat(first.body()).contains("COFFRE_PKCS11_KEY_LABEL", "coffre-root-2");
      Properties mid = pin(server);
      assertThat(mid.getProperty("id")).isEqualTo("pkcs11:coffre-root-2");
      assertThat(mid.getProperty("retired.1.id")).isEqualTo("pkcs11:coffre-root");

      // A start still naming the old label is refused with the new one; with the new label the
      // server opens both keys as a ring and reads everything mid-pass.
      assertThatThrownBy(server::launch)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("rotated from pkcs11:coffre-root")
          .hasMessageContaining(
              "COFFRE_PKCS11_KEY_LABEL (or root-key.pkcs11.key-label) to coffre-root-2");
      server.withEnv(Map.of("COFFRE_PKCS11_KEY_LABEL", "coffre-root-2"));
      server.launch();
      readAll(server, w);
      server.close();

      ServerProcess.Admin second = ServerProcess.cli(env, "root-key", "rotate", "--data", data);
      assertThat(second.status()).as(second.body()).isZero();
      assertThat(second.body()).contains("nothing refers to pkcs11:coffre-root", "destroy it");
      assertThat(pin(server).stringPropertyNames()).noneMatch(n -> n.startsWith("retired."));

      // The pass is over: the server no longer needs the old key (it opens only coffre-root-2).
      server.launch();
      readAll(server, w);
      completeUpload(server, w);
      server.close();
      assertThat(systemChain(server))
          .contains("RootKeyRotationStarted", "RootKeyRotationResumed", "RootKeyRotationFinished");

      // A second rotation with the default label: old label plus a time stamp.
      ServerProcess.Admin again = ServerProcess.cli(env, "root-key", "rotate", "--data", data);
      assertThat(again.status()).as(again.body()).isZero();
      String stamped = pin(server).getProperty("id");
      assertThat(stamped).matches("pkcs11:coffre-root-2-\\d{14}");

      // Online: the running server makes the next key in the token and re-wraps in the background.
      server.withEnv(Map.of("COFFRE_PKCS11_KEY_LABEL", stamped.substring("pkcs11:".length())));
      server.launch();
      ServerProcess.Admin online =
          server.admin(
              "POST", "root-key/rotate", "{\"newLabel\":\"coffre-root-3\",\"settleSeconds\":0}");
      assertThat(online.status()).as(online.body()).isEqualTo(202);
      String state = "";
      for (int i = 0; i < 200 && !state.equals("finished") && !state.equals("paused"); i++) {
        Thread.sleep(300);
        state =
            JSON.readTree(server.admin("GET", "root-key/rotation", null).body())
                .path("state")
                .asText();
      }
      assertThat(state).isEqualTo("finished");
      readAll(server, w);
      server.close();
      assertThat(pin(server).getProperty("id")).isEqualTo("pkcs11:coffre-root-3");
      assertThatThrownBy(server::launch)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("to coffre-root-3");
      server.withEnv(Map.of("COFFRE_PKCS11_KEY_LABEL", "coffre-root-3"));
      server.launch();
      readAll(server, w);
    } finally {
      server.close();
    }
  }
}
