package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.metadata.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The restore drill, on real server processes and the command line as an operator runs it: write,
 * back up while the server runs, write more, stop, lose the metadata, restore into a new data
 * directory, start on the same volumes. Every object acknowledged before the backup reads back byte
 * for byte; those written after it are reported and kept (not collected as orphans); the audit
 * trail goes on with a record of the restore and still verifies. Also: a destination a bucket's
 * class forbids is refused, a wrong passphrase and a tampered backup are refused.
 */
class BackupRestoreIT {
  private static final String CLASS_HEADER = "x-coffre-sensitivity-class";

  private static String config(Path dir) {
    return "placement:\n  locations:\n"
        + "    - site: paris\n      country: FR\n      jurisdiction: EU\n      volumes:\n"
        + "        - name: pa1\n          path: "
        + dir.resolve("pa1")
        + "\n        - name: pa2\n          path: "
        + dir.resolve("pa2")
        + "\n    - site: virginia\n      country: US\n      jurisdiction: non-EU\n      volumes:\n"
        + "        - name: us1\n          path: "
        + dir.resolve("us1")
        + "\n";
  }

  private static long blobsIn(Path dir) throws IOException {
    long n = 0;
    for (String v : List.of("pa1", "pa2", "us1")) {
      Path blobs = dir.resolve(v).resolve("blobs");
      if (Files.isDirectory(blobs)) {
        try (Stream<Path> files = Files.walk(blobs)) {
          n += files.filter(Files::isRegularFile).count();
        }
      }
    }
    return n;
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static ServerProcess.Admin coffre(String... args) throws Exception {
    return ServerProcess.cli(Map.of(), args);
  }

  @Test
  void restoreDrill_everyObjectBeforeTheBackupReadsBack_laterOnesAreReportedAndKept(
      @TempDir Path dir) throws Exception {
    Path config = dir.resolve("coffre.yaml");
    Files.writeString(config, config(dir));
    Path pass = dir.resolve("passphrase");
    Files.writeString(pass, "backup drill passphrase 2026\n");
    Path backup = dir.resolve("backup");
    Map<String, byte[]> before = new LinkedHashMap<>();
    before.put("dossiers/patient-1.pdf", random(3 * 1024 * 1024 + 5, 1));
    before.put("dossiers/patient-2.txt", "hello".getBytes(StandardCharsets.UTF_8));
    before.put("notes/readme.md", random(70_000, 2));

    ServerProcess server = ServerProcess.create("--config", config.toString());
    try {
      server.launch();
      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
        s3.createBucket(
            r ->
                r.bucket("dossiers")
                    .overrideConfiguration(o -> o.putHeader(CLASS_HEADER, "personal")));
        s3.createBucket(r -> r.bucket("notes"));
        for (var e : before.entrySet()) {
          String[] bk = e.getKey().split("/", 2);
          s3.putObject(r -> r.bucket(bk[0]).key(bk[1]), RequestBody.fromBytes(e.getValue()));
        }

        // A destination the "personal" class forbids (outside the EU) is refused, naming it.
        ServerProcess.Admin refused =
            coffre(
                "backup",
                "--config",
                config.toString(),
                "--data",
                server.dataDir().toString(),
                "--out",
                dir.resolve("backup-us").toString(),
                "--passphrase-file",
                pass.toString(),
                "--site",
                "virginia");
        assertThat(refused.status()).as(refused.body()).isEqualTo(1);
        assertThat(refused.body())
            .contains("backup refused")
            .contains("class 'personal'")
            .contains("dossiers")
            .contains("country US is not in the EU")
            .doesNotContain("Exception");
        assertThat(dir.resolve("backup-us")).doesNotExist();

        // The audit signing key is made at the trail's first checkpoint (every 10 s): wait for
        // it, so that the backup is shown to carry it.
        Path signingKey = server.dataDir().resolve("keys/signing.key");
        for (int i = 0; i < 300 && !Files.exists(signingKey); i++) {
          Thread.sleep(100);
        }
        assertThat(signingKey).exists();

        // The backup, while the server runs.
        ServerProcess.Admin made =
            coffre(
                "backup",
                "--config",
                config.toString(),
                "--data",
                server.dataDir().toString(),
                "--out",
                backup.toString(),
                "--passphrase-file",
                pass.toString(),
                "--country",
                "FR",
                "--jurisdiction",
                "EU");
        assertThat(made.status()).as(made.body()).isZero();
        assertThat(made.body()).contains("3 blobs referenced").contains("personal=1");

        // Written after the backup: not in it.
        s3.putObject(
            r -> r.bucket("dossiers").key("late.txt"), RequestBody.fromString("after the backup"));
        s3.putObject(r -> r.bucket("notes").key("late.md"), RequestBody.fromBytes(random(9000, 3)));
      }
    } finally {
      server.close();
    }
    long blobsBeforeRestore = blobsIn(dir);
    assertThat(blobsBeforeRestore).isEqualTo(4 + 2 + 2L); // two classes: 2 copies for personal

    // Verification: intact; a wrong passphrase and a flipped byte are refused.
    ServerProcess.Admin verified =
        coffre("backup", "verify", backup.toString(), "--passphrase-file", pass.toString());
    assertThat(verified.status()).as(verified.body()).isZero();
    assertThat(verified.body()).contains("verified");
    Path wrong = dir.resolve("wrong");
    Files.writeString(wrong, "not the backup passphrase");
    ServerProcess.Admin wrongPass =
        coffre("backup", "verify", backup.toString(), "--passphrase-file", wrong.toString());
    assertThat(wrongPass.status()).isEqualTo(1);
    assertThat(wrongPass.body()).contains("wrong passphrase").doesNotContain("Exception");
    Path tampered = dir.resolve("tampered");
    Files.createDirectories(tampered);
    try (Stream<Path> files = Files.list(backup)) {
      for (Path f : files.toList()) {
        Files.copy(f, tampered.resolve(f.getFileName()));
      }
    }
    byte[] meta = Files.readAllBytes(tampered.resolve("metadata.enc"));
    meta[meta.length / 2] ^= 0x01;
    Files.write(tampered.resolve("metadata.enc"), meta);
    ServerProcess.Admin tamperedVerify =
        coffre("backup", "verify", tampered.toString(), "--passphrase-file", pass.toString());
    assertThat(tamperedVerify.status()).isEqualTo(1);
    assertThat(tamperedVerify.body()).contains("metadata.enc");
    Path refusedTarget = dir.resolve("refused-target");
    ServerProcess.Admin tamperedRestore =
        coffre(
            "restore",
            "--from",
            tampered.toString(),
            "--data",
            refusedTarget.toString(),
            "--passphrase-file",
            pass.toString());
    assertThat(tamperedRestore.status()).isEqualTo(1);
    assertThat(refusedTarget).doesNotExist();

    // The metadata is lost.
    for (String f : List.of("metadata.db", "metadata.db-wal", "metadata.db-shm")) {
      Files.deleteIfExists(server.dataDir().resolve(f));
    }
    // A restore refuses a directory that is not empty.
    ServerProcess.Admin notEmpty =
        coffre(
            "restore",
            "--from",
            backup.toString(),
            "--data",
            server.dataDir().toString(),
            "--passphrase-file",
            pass.toString());
    assertThat(notEmpty.status()).isEqualTo(1);
    assertThat(notEmpty.body()).contains("not empty");

    ServerProcess restored = ServerProcess.create("--config", config.toString());
    try {
      ServerProcess.Admin restore =
          coffre(
              "restore",
              "--from",
              backup.toString(),
              "--data",
              restored.dataDir().toString(),
              "--passphrase-file",
              pass.toString());
      assertThat(restore.status()).as(restore.body()).isZero();
      assertThat(restored.dataDir().resolve("keys/signing.key")).exists();
      assertThat(restored.dataDir().resolve("coffre.restored.yaml")).hasContent(config(dir));

      restored.launch();
      try (S3Client s3 = S3Clients.modern(restored.endpoint())) {
        for (var e : before.entrySet()) {
          String[] bk = e.getKey().split("/", 2);
          assertThat(s3.getObjectAsBytes(r -> r.bucket(bk[0]).key(bk[1])).asByteArray())
              .as(e.getKey())
              .isEqualTo(e.getValue());
        }
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket("dossiers").key("late.txt")))
            .isInstanceOf(NoSuchKeyException.class);
      }
      // The later objects' blobs are reported and kept, not collected as orphans.
      Path unreferenced = restored.dataDir().resolve("restore-unreferenced.txt");
      assertThat(
              Files.readAllLines(unreferenced).stream()
                  .filter(l -> !l.isBlank() && !l.startsWith("#")))
          .hasSize(2);
      assertThat(Files.readString(restored.log()))
          .contains("2 blobs on the volumes are not referenced by the restored metadata");
      assertThat(blobsIn(dir)).isEqualTo(blobsBeforeRestore);
      assertThat(restored.dataDir().resolve("restore.done.json")).exists();

      // The audit trail goes on, with the restore recorded, and verifies.
      Path system = restored.dataDir().resolve("audit/_system");
      String trail;
      try (Stream<Path> segments = Files.list(system)) {
        StringBuilder all = new StringBuilder();
        for (Path s : segments.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
          all.append(Files.readString(s));
        }
        trail = all.toString();
      }
      assertThat(trail).contains("\"Restore\"").contains("\"blobsUnreferenced\":2");
      ServerProcess.Admin audit =
          coffre(
              "audit",
              "verify",
              system.toString(),
              "--public-key",
              restored.dataDir().resolve("keys/signing.pub").toString());
      assertThat(audit.status()).as(audit.body()).isZero();

      // A second start keeps them too, and records no second restore.
      restored.close();
      restored.launch();
      assertThat(blobsIn(dir)).isEqualTo(blobsBeforeRestore);
    } finally {
      restored.close();
    }
  }

  /**
   * The same drill with the metadata in PostgreSQL: {@code pg_dump} while the server runs, the
   * database dropped, {@code pg_restore} into a new one, a start on it and the same volumes.
   */
  @Test
  void restoreDrill_postgresql_pgDumpThenPgRestoreIntoANewDatabase(@TempDir Path dir)
      throws Exception {
    String password = "pg-backup-it-password";
    PostgresServer pg = PostgresServer.shared();
    String before = pg.createDatabase();
    pg.createPasswordRole(before, password);
    Path passwordFile = dir.resolve("pg-password");
    Files.writeString(passwordFile, password + "\n");
    Map<String, String> env = Map.of("COFFRE_METADATA_PASSWORD_FILE", passwordFile.toString());
    String url = "postgresql://" + PostgresServer.PASSWORD_ROLE + "@127.0.0.1:" + pg.port() + "/";
    Path config = dir.resolve("coffre.yaml");
    Files.writeString(config, config(dir));
    Path pass = dir.resolve("passphrase");
    Files.writeString(pass, "backup drill passphrase 2026\n");
    Path backup = dir.resolve("backup");
    byte[] big = random(2 * 1024 * 1024 + 3, 7);

    ServerProcess server =
        ServerProcess.create("--config", config.toString(), "--metadata", url + before)
            .withEnv(env);
    try {
      server.launch();
      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
        s3.createBucket(r -> r.bucket("archives"));
        s3.putObject(r -> r.bucket("archives").key("big.bin"), RequestBody.fromBytes(big));
        s3.putObject(r -> r.bucket("archives").key("small.txt"), RequestBody.fromString("small"));
        ServerProcess.Admin made =
            ServerProcess.cli(
                env,
                "backup",
                "--config",
                config.toString(),
                "--metadata",
                url + before,
                "--data",
                server.dataDir().toString(),
                "--out",
                backup.toString(),
                "--passphrase-file",
                pass.toString(),
                "--site",
                "paris");
        assertThat(made.status()).as(made.body()).isZero();
        assertThat(made.body()).contains("metadata: postgresql").contains("2 blobs referenced");
        s3.putObject(r -> r.bucket("archives").key("late.txt"), RequestBody.fromString("late"));
      }
    } finally {
      server.close();
    }
    pg.dropDatabase(before); // the metadata is lost

    String after = pg.createDatabase();
    pg.createPasswordRole(after, password);
    ServerProcess restored =
        ServerProcess.create("--config", config.toString(), "--metadata", url + after).withEnv(env);
    try {
      ServerProcess.Admin sqliteInto =
          coffre(
              "restore",
              "--from",
              backup.toString(),
              "--data",
              restored.dataDir().toString(),
              "--passphrase-file",
              pass.toString());
      assertThat(sqliteInto.status()).isEqualTo(1);
      assertThat(sqliteInto.body()).contains("give --metadata");
      ServerProcess.Admin restore =
          ServerProcess.cli(
              env,
              "restore",
              "--from",
              backup.toString(),
              "--data",
              restored.dataDir().toString(),
              "--metadata",
              url + after,
              "--passphrase-file",
              pass.toString());
      assertThat(restore.status()).as(restore.body()).isZero();
      restored.launch();
      try (S3Client s3 = S3Clients.modern(restored.endpoint())) {
        assertThat(s3.getObjectAsBytes(r -> r.bucket("archives").key("big.bin")).asByteArray())
            .isEqualTo(big);
        assertThat(s3.getObjectAsBytes(r -> r.bucket("archives").key("small.txt")).asUtf8String())
            .isEqualTo("small");
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket("archives").key("late.txt")))
            .isInstanceOf(NoSuchKeyException.class);
      }
      assertThat(
              Files.readAllLines(restored.dataDir().resolve("restore-unreferenced.txt")).stream()
                  .filter(l -> !l.isBlank() && !l.startsWith("#")))
          .hasSize(1);
      assertThat(Files.readString(restored.dataDir().resolve("metadata.pin")))
          .contains("postgresql=");
    } finally {
      restored.close();
      pg.dropDatabase(after);
    }
  }
}
