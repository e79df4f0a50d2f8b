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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Root key custody with a real server and the real command line: a server holds objects; its root
 * key is escrowed to five custodians (any three rebuild it); the key file is lost, and the start is
 * refused; two shares are refused; three rebuild the key; the server starts again and every object
 * reads back. For the development key file and for the passphrase-sealed key (resealed under a new
 * passphrase).
 */
class RootKeyEscrowIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String PASSPHRASE = "une phrase de passe assez longue";
  private static final String[] CUSTODIANS = {"alice", "bob", "carol", "dan", "erin"};
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

  /** Writes objects of a few sizes (one spans several encrypted segments) and returns them. */
  private static Map<String, byte[]> putObjects(ServerProcess server) {
    Map<String, byte[]> objects = new LinkedHashMap<>();
    Random random = new Random(42);
    try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
      s3.createBucket(b -> b.bucket("escrowed"));
      for (int i = 0; i < 12; i++) {
        byte[] body = new byte[i == 0 ? 3 * 1024 * 1024 + 17 : 100 + i * 997];
        random.nextBytes(body);
        String key = "dir/object-" + i;
        s3.putObject(b -> b.bucket("escrowed").key(key), RequestBody.fromBytes(body));
        objects.put(key, body);
      }
    }
    return objects;
  }

  private static void assertAllReadBack(ServerProcess server, Map<String, byte[]> objects) {
    try (S3Client s3 = S3Clients.legacy(server.endpoint())) {
      for (Map.Entry<String, byte[]> e : objects.entrySet()) {
        assertThat(s3.getObjectAsBytes(b -> b.bucket("escrowed").key(e.getKey())).asByteArray())
            .as(e.getKey())
            .isEqualTo(e.getValue());
      }
    }
  }

  private static List<String> escrowArgs(ServerProcess server, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "root-key",
                "escrow",
                "--data",
                server.dataDir().toString(),
                "--shares",
                "5",
                "--threshold",
                "3"));
    for (String c : CUSTODIANS) {
      args.add("--custodian");
      args.add(c);
    }
    args.addAll(List.of(more));
    return args;
  }

  private static ServerProcess.Admin recover(
      ServerProcess server, List<Path> shares, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("root-key", "recover", "--data", server.dataDir().toString()));
    for (Path share : shares) {
      args.add("--share");
      args.add(share.toString());
    }
    args.addAll(List.of(more));
    return ServerProcess.cli(Map.of(), args.toArray(String[]::new));
  }

  @Test
  void devKeyFile_lost_isRebuiltFromThreeOfFiveShares_andEveryObjectReadsBack() throws Exception {
    ServerProcess server = ServerProcess.create();
    try {
      server.launch();
      Map<String, byte[]> objects = putObjects(server);
      Path shares = work.resolve("shares");
      // Escrow while the server runs: it only reads the key.
      ServerProcess.Admin escrow =
          ServerProcess.cli(
              Map.of(), escrowArgs(server, "--out", shares.toString()).toArray(String[]::new));
      assertThat(escrow.status()).as(escrow.body()).isZero();
      assertThat(escrow.body()).contains("alice.share", "any 3 rebuild it");
      for (String c : CUSTODIANS) {
        Path share = shares.resolve(c + ".share");
        assertThat(Files.getPosixFilePermissions(share)).hasToString("[OWNER_READ, OWNER_WRITE]");
        assertThat(Files.readString(share)).contains("coffre-share-1 key=file:");
      }
      server.close();

      Path key = server.dataDir().resolve("keys/dev-root.key");
      byte[] original = Files.readAllBytes(key);
      Files.delete(key);
      assertThatThrownBy(server::launch)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("dev-root.key is missing");

      ServerProcess.Admin tooFew =
          recover(server, List.of(shares.resolve("alice.share"), shares.resolve("dan.share")));
      assertThat(tooFew.status()).isEqualTo(1);
      assertThat(tooFew.body()).contains("recovery refused", "3 shares of set", "2 given");
      assertThat(key).doesNotExist();

      ServerProcess.Admin recovered =
          recover(
              server,
              List.of(
                  shares.resolve("erin.share"),
                  shares.resolve("bob.share"),
                  shares.resolve("carol.share")));
      assertThat(recovered.status()).as(recovered.body()).isZero();
      assertThat(recovered.body()).contains("recovered root key file:");
      assertThat(Files.readAllBytes(key)).isEqualTo(original);

      server.launch();
      assertAllReadBack(server, objects);
    } finally {
      server.close();
    }
  }

  @Test
  void sealedKey_lost_isRebuiltFromPrintedShares_resealedUnderANewPassphrase() throws Exception {
    Path passphrase = work.resolve("passphrase");
    Files.writeString(passphrase, PASSPHRASE + "\n");
    ServerProcess server =
        ServerProcess.create()
            .withEnv(Map.of("COFFRE_ROOT_PASSPHRASE_FILE", passphrase.toString()));
    try {
      server.launch();
      awaitReady(server);
      Map<String, byte[]> objects = putObjects(server);

      ServerProcess.Admin withoutPassphrase =
          ServerProcess.cli(Map.of(), escrowArgs(server).toArray(String[]::new));
      assertThat(withoutPassphrase.status()).isEqualTo(1);
      assertThat(withoutPassphrase.body()).contains("passphrase-sealed", "--passphrase-file");

      // Printed shares, as an operator hands them over one by one; saved here as typed back.
      ServerProcess.Admin escrow =
          ServerProcess.cli(
              Map.of(),
              escrowArgs(server, "--passphrase-file", passphrase.toString())
                  .toArray(String[]::new));
      assertThat(escrow.status()).as(escrow.body()).isZero();
      List<Path> shares = new ArrayList<>();
      for (String line : escrow.body().split("\n")) {
        if (line.startsWith("coffre-share-1 ")) {
          Path share = work.resolve("typed-" + shares.size());
          // Typed back: the data in capitals, its groups split by spaces instead of dashes.
          Matcher data = Pattern.compile("data=([0-9a-f-]+)").matcher(line);
          assertThat(data.find()).isTrue();
          String typed =
              line.replace(
                  data.group(), "data=" + data.group(1).toUpperCase(Locale.ROOT).replace('-', ' '));
          Files.writeString(share, typed + "\n");
          shares.add(share);
        }
      }
      assertThat(shares).hasSize(5);
      server.close();

      Path key = server.dataDir().resolve("keys/sealed-root.key");
      Files.delete(key);
      assertThatThrownBy(server::launch)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("sealed-root.key is missing");

      Path fresh = work.resolve("new-passphrase");
      Files.writeString(fresh, "une toute nouvelle phrase de passe\n");
      List<Path> three = List.of(shares.get(1), shares.get(3), shares.get(4));
      ServerProcess.Admin noPassphrase = recover(server, three);
      assertThat(noPassphrase.status()).isEqualTo(1);
      assertThat(noPassphrase.body()).contains("new passphrase");
      assertThat(key).doesNotExist();

      ServerProcess.Admin recovered = recover(server, three, "--passphrase-file", fresh.toString());
      assertThat(recovered.status()).as(recovered.body()).isZero();
      assertThat(recovered.body()).contains("recovered root key sealed:");

      server.withEnv(Map.of("COFFRE_ROOT_PASSPHRASE_FILE", fresh.toString()));
      server.launch();
      awaitReady(server);
      assertAllReadBack(server, objects);
    } finally {
      server.close();
    }
  }
}
