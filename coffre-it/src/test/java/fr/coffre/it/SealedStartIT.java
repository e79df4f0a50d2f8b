package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;

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
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A passphrase-sealed root key: the server starts sealed and answers every S3 request 503 with a
 * clear error (and /health/ready 503) until the passphrase file appears; a wrong passphrase keeps
 * it sealed; the right one opens the same key after a restart, and old objects read back. The
 * operator can also unseal through the admin API ({@code coffre admin unseal}).
 */
class SealedStartIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path work;

  private static int ready(ServerProcess server) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(server.opsEndpoint() + "/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static void awaitUnsealed(ServerProcess server) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (ready(server) != 200 && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    assertThat(ready(server)).isEqualTo(200);
  }

  private static void assertSealed(S3Client s3) {
    try {
      s3.listBuckets();
      throw new AssertionError("a sealed server answered");
    } catch (S3Exception e) {
      assertThat(e.statusCode()).isEqualTo(503);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
      assertThat(e.awsErrorDetails().errorMessage()).contains("sealed");
    }
  }

  @Test
  void sealedUntilThePassphraseComes_wrongOneKeepsItSealed() throws Exception {
    Path passphrase = work.resolve("passphrase");
    ServerProcess server =
        ServerProcess.startWithEnv(Map.of("COFFRE_ROOT_PASSPHRASE_FILE", passphrase.toString()));
    try {
      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        assertSealed(s3);
        assertThat(ready(server)).isEqualTo(503);
        Files.writeString(passphrase, "une phrase de passe assez longue\n");
        awaitUnsealed(server);
        s3.createBucket(b -> b.bucket("sealed"));
        s3.putObject(
            b -> b.bucket("sealed").key("k"), RequestBody.fromString("opened with the passphrase"));
      }
      assertThat(server.dataDir().resolve("keys").resolve("sealed-root.key")).exists();
      assertThat(server.dataDir().resolve("keys").resolve("dev-root.key")).doesNotExist();

      server.close();
      Files.writeString(passphrase, "the wrong passphrase\n");
      server.launch();
      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!Files.readString(server.log()).contains("wrong passphrase")
            && Instant.now().isBefore(deadline)) {
          Thread.sleep(200);
        }
        assertThat(Files.readString(server.log()))
            .contains("root key not unsealed: wrong passphrase");
        assertSealed(s3);
        Files.writeString(passphrase, "une phrase de passe assez longue\n");
        awaitUnsealed(server);
        assertThat(s3.getObjectAsBytes(b -> b.bucket("sealed").key("k")).asUtf8String())
            .isEqualTo("opened with the passphrase");
      }
    } finally {
      server.close();
    }
  }

  @Test
  void unsealedByAnAdminCall_wrongPassphraseRefused_statusReportsTheSeal() throws Exception {
    // The passphrase file never appears: only the operator's admin call opens the key.
    Path never = work.resolve("no-such-passphrase-file");
    ServerProcess server =
        ServerProcess.startWithEnv(Map.of("COFFRE_ROOT_PASSPHRASE_FILE", never.toString()));
    try {
      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        assertSealed(s3);
        assertThat(server.admin("GET", "status", null).body()).contains("\"sealed\" : true");
        assertThat(server.admin("GET", "keys", null).status()).isEqualTo(503);
        // No sealed key yet: an unseal never creates one from whatever arrives.
        ServerProcess.Admin notYet =
            server.admin("POST", "unseal", "{\"passphrase\":\"premiere phrase de passe\"}");
        assertThat(notYet.status()).isEqualTo(409);
        assertThat(notYet.body()).contains("NoSealedKey", "--create");
        ServerProcess.Admin weak =
            server.admin("POST", "unseal", "{\"passphrase\":\"abcde\",\"create\":true}");
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.body()).contains("WeakPassphrase", "at least 12 characters");
        assertThat(server.dataDir().resolve("keys").resolve("sealed-root.key")).doesNotExist();
        assertThat(
                server
                    .admin(
                        "POST",
                        "unseal",
                        "{\"passphrase\":\"premiere phrase de passe\",\"create\":true}")
                    .status())
            .isEqualTo(200);
        // Already unsealed: a wrong passphrase is still refused, the right one accepted.
        assertThat(
                server.admin("POST", "unseal", "{\"passphrase\":\"not the passphrase\"}").status())
            .isEqualTo(403);
        assertThat(
                server
                    .admin("POST", "unseal", "{\"passphrase\":\"premiere phrase de passe\"}")
                    .status())
            .isEqualTo(200);
        assertThat(ready(server)).isEqualTo(200);
        s3.createBucket(b -> b.bucket("admin-unsealed"));
        s3.putObject(
            b -> b.bucket("admin-unsealed").key("k"),
            RequestBody.fromString("after an admin unseal"));
      }
      server.close();
      server.launch();
      try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
        assertSealed(s3);
        ServerProcess.Admin wrong =
            server.admin("POST", "unseal", "{\"passphrase\":\"not the passphrase\"}");
        assertThat(wrong.status()).isEqualTo(403);
        assertSealed(s3);
        // The command line does the same call.
        Path file = work.resolve("pass");
        Files.writeString(file, "premiere phrase de passe\n");
        ServerProcess.Admin cli =
            ServerProcess.cli(
                Map.of(
                    "COFFRE_ADMIN_URL",
                    server.adminEndpoint().toString(),
                    "COFFRE_ADMIN_TOKEN",
                    ServerProcess.ADMIN_TOKEN),
                "admin",
                "unseal",
                "--passphrase-file",
                file.toString());
        assertThat(cli.status()).as(cli.body()).isZero();
        assertThat(s3.getObjectAsBytes(b -> b.bucket("admin-unsealed").key("k")).asUtf8String())
            .isEqualTo("after an admin unseal");
      }
    } finally {
      server.close();
    }
  }
}
