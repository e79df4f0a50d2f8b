package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A data directory remembers how its root key is kept (DATA/keys/root-key.pin): a start with
 * another mode, or without the key it was made with, is refused before anything listens, naming the
 * mode expected. Before this, a sealed directory started once without its passphrase setting got a
 * fresh development key, kept serving (root credentials from the environment) and wrote new objects
 * that the right key could never read.
 */
class RootKeyPinIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String PASSPHRASE = "une phrase de passe assez longue";
  @TempDir Path work;

  private static void awaitReady(ServerProcess server) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    int status = 0;
    while (Instant.now().isBefore(deadline)) {
      status =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(server.opsEndpoint() + "/health/ready"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
      if (status == 200) {
        return;
      }
      Thread.sleep(200);
    }
    assertThat(status).isEqualTo(200);
  }

  @Test
  void sealedDirectory_startedWithoutItsPassphraseSetting_isRefusedBeforeListening()
      throws Exception {
    Path passphrase = work.resolve("passphrase");
    Files.writeString(passphrase, PASSPHRASE + "\n");
    ServerProcess server =
        ServerProcess.create()
            .withEnv(Map.of("COFFRE_ROOT_PASSPHRASE_FILE", passphrase.toString()));
    server.launch();
    try {
      awaitReady(server);
      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        s3.createBucket(b -> b.bucket("pinned"));
        s3.putObject(
            b -> b.bucket("pinned").key("k"), RequestBody.fromString("under the sealed key"));
      }
      assertThat(Files.readString(server.dataDir().resolve("keys/root-key.pin")))
          .contains("mode=sealed", "id=sealed:");
      server.close();

      // Root credentials come from the environment (ServerProcess sets them): this is the case
      // that used to keep serving under a new development key.
      server.withoutEnv("COFFRE_ROOT_PASSPHRASE_FILE");
      long logBefore = Files.size(server.log());
      assertThatThrownBy(server::launch)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("was created with a passphrase-sealed key")
          .hasMessageContaining("COFFRE_ROOT_PASSPHRASE_FILE");
      String attempt = Files.readString(server.log()).substring((int) logBefore);
      assertThat(attempt).doesNotContain("Coffre listening", "DEVELOPMENT KEY MODE");
      assertThat(server.dataDir().resolve("keys/dev-root.key")).doesNotExist();

      // The right setting again: the old object reads back.
      server.withEnv(Map.of("COFFRE_ROOT_PASSPHRASE_FILE", passphrase.toString()));
      server.launch();
      awaitReady(server);
      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        assertThat(s3.getObjectAsBytes(b -> b.bucket("pinned").key("k")).asUtf8String())
            .isEqualTo("under the sealed key");
      }
    } finally {
      server.close();
    }
  }

  @Test
  void sealedDirectory_anotherSealedKeyFile_isRefused() throws Exception {
    Path passphrase = work.resolve("passphrase");
    Files.writeString(passphrase, PASSPHRASE + "\n");
    ServerProcess first =
        ServerProcess.create()
            .withEnv(Map.of("COFFRE_ROOT_PASSPHRASE_FILE", passphrase.toString()));
    ServerProcess other =
        ServerProcess.create()
            .withEnv(Map.of("COFFRE_ROOT_PASSPHRASE_FILE", passphrase.toString()));
    try {
      first.launch();
      awaitReady(first);
      first.close();
      other.launch();
      awaitReady(other);
      other.close();
      // Same passphrase, another directory's sealed key: not this directory's key.
      Files.copy(
          other.dataDir().resolve("keys/sealed-root.key"),
          first.dataDir().resolve("keys/sealed-root.key"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertThatThrownBy(first::launch)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("the sealed root key file holds");
    } finally {
      first.close();
      other.close();
    }
  }

  @Test
  void devKeyDirectory_startedSealed_orWithItsKeyFileGone_isRefused_andNoNewKeyIsMade()
      throws Exception {
    ServerProcess server = ServerProcess.create();
    server.launch();
    try {
      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        s3.createBucket(b -> b.bucket("dev"));
      }
      server.close();
      Path passphrase = work.resolve("passphrase");
      Files.writeString(passphrase, PASSPHRASE + "\n");
      server.withEnv(Map.of("COFFRE_ROOT_PASSPHRASE_FILE", passphrase.toString()));
      assertThatThrownBy(server::launch)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("was created with a development key file");
      assertThat(server.dataDir().resolve("keys/sealed-root.key")).doesNotExist();

      server.withoutEnv("COFFRE_ROOT_PASSPHRASE_FILE");
      Path key = server.dataDir().resolve("keys/dev-root.key");
      byte[] saved = Files.readAllBytes(key);
      Files.delete(key);
      assertThatThrownBy(server::launch)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("dev-root.key is missing");
      assertThat(key).doesNotExist();

      // Another key file in its place: same mode, another key.
      Files.write(key, new byte[32]);
      Files.setPosixFilePermissions(
          key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      assertThatThrownBy(server::launch)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is not this data directory's root key");

      Files.write(key, saved);
      server.launch();
      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        assertThat(s3.listBuckets().buckets()).anyMatch(b -> b.name().equals("dev"));
      }
    } finally {
      server.close();
    }
  }

  @Test
  void directoryFromBeforePins_isPinnedToWhatItHolds() throws Exception {
    ServerProcess server = ServerProcess.create();
    server.launch();
    try {
      server.close();
      // A directory made by an earlier version has no pin: its key file tells the mode.
      Files.delete(server.dataDir().resolve("keys/root-key.pin"));
      Path passphrase = work.resolve("passphrase");
      Files.writeString(passphrase, PASSPHRASE + "\n");
      server.withEnv(Map.of("COFFRE_ROOT_PASSPHRASE_FILE", passphrase.toString()));
      assertThatThrownBy(server::launch)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("was created with a development key file");
      server.withoutEnv("COFFRE_ROOT_PASSPHRASE_FILE");
      server.launch();
      assertThat(Files.readString(server.dataDir().resolve("keys/root-key.pin")))
          .contains("mode=file", "id=file:");
    } finally {
      server.close();
    }
  }
}
