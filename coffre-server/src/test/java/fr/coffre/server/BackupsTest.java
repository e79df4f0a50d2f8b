package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.Quota;
import fr.coffre.core.TenantRecord;
import fr.coffre.metadata.SessionStore;
import fr.coffre.metadata.SqliteMetadataStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup of a data directory in the JVM: what goes in and what stays out, the audit segment cut
 * at its last complete line, an altered manifest told apart from a wrong passphrase, and a restore
 * that refuses a directory in use.
 */
class BackupsTest {
  private static final char[] PASSPHRASE = "backup unit test passphrase".toCharArray();
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-06T06:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private Path data;

  @BeforeEach
  void dataDirectory() throws Exception {
    data = dir.resolve("data");
    Files.createDirectories(data.resolve("keys"));
    Files.writeString(data.resolve("keys/signing.pub"), "public key\n");
    Files.createDirectories(data.resolve("audit/_system"));
    // The server is appending a line: only the complete ones belong in the backup.
    Files.writeString(
        data.resolve("audit/_system/00000000000000000001.jsonl"),
        "{\"seq\":1}\n{\"seq\":2}\n{\"se");
    Files.createDirectories(data.resolve("volume/blobs"));
    Files.writeString(data.resolve("volume/blobs/not-in-a-backup"), "bytes");
    Files.writeString(data.resolve("coffre.lock"), "");
    try (SqliteMetadataStore store = SqliteMetadataStore.open(data.resolve("metadata.db"))) {
      store.createBucket(
          new BucketRecord(
              new BucketName("dossiers"),
              CLOCK.instant(),
              "us-east-1",
              TenantRecord.DEFAULT,
              Quota.NONE,
              "personal"));
      // A console session open when the backup is made.
      store
          .sessions()
          .openSession(
              new SessionStore.StoredSession(
                  "console",
                  "0".repeat(64),
                  "AKID",
                  "AKID",
                  "csrf",
                  CLOCK.instant(),
                  CLOCK.instant(),
                  CLOCK.instant().plusSeconds(3600)),
              new SessionStore.Bounds(10, 1, 5),
              CLOCK.instant());
    }
  }

  private Backups.Request request(Path out, BackupDestination destination) {
    ServerConfig config =
        new Settings(Map.of("data", data.toString()), Map.of(), ConfigFile.EMPTY, null).resolve();
    return new Backups.Request(config, null, out, destination, PASSPHRASE);
  }

  @Test
  void backup_verify_restore_keepTheMetadataKeysAndCompleteAuditLines_notTheBlobs()
      throws Exception {
    Path out = dir.resolve("backup");
    List<String> made =
        Backups.create(
            request(out, BackupDestination.declared("FR", "EU", null, List.of())), CLOCK);
    assertThat(String.join("\n", made)).contains("personal=1").contains("0 blobs referenced");
    assertThat(BackupRestore.verify(out, PASSPHRASE)).last().asString().startsWith("verified");
    assertThat(data.resolve("backup.tmp-")).doesNotExist();
    try (var files = Files.list(data)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("backup"));
    }

    Path restored = dir.resolve("restored");
    BackupRestore.restore(out, restored, PASSPHRASE, null, null, CLOCK);
    assertThat(restored.resolve("keys/signing.pub")).hasContent("public key\n");
    assertThat(restored.resolve("audit/_system/00000000000000000001.jsonl"))
        .hasContent("{\"seq\":1}\n{\"seq\":2}\n");
    assertThat(restored.resolve("volume")).doesNotExist();
    assertThat(restored.resolve("coffre.lock")).doesNotExist();
    assertThat(restored.resolve(RestoreMarker.FILE)).exists();
    try (SqliteMetadataStore store = SqliteMetadataStore.open(restored.resolve("metadata.db"))) {
      assertThat(store.buckets()).extracting(b -> b.name().value()).containsExactly("dossiers");
    }
    assertThatThrownBy(() -> BackupRestore.restore(out, restored, PASSPHRASE, null, null, CLOCK))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("not empty");
  }

  @Test
  void theFirstStartAfterARestore_endsTheSessionsTheBackupHeld() throws Exception {
    Path out = dir.resolve("backup");
    Backups.create(request(out, BackupDestination.declared("FR", "EU", null, List.of())), CLOCK);
    Path restored = dir.resolve("restored");
    BackupRestore.restore(out, restored, PASSPHRASE, null, null, CLOCK);
    try (SqliteMetadataStore store = SqliteMetadataStore.open(restored.resolve("metadata.db"))) {
      assertThat(store.sessions().countSessions("console")).isEqualTo(1);
    }
    ServerConfig config =
        new Settings(Map.of("data", restored.toString()), Map.of(), ConfigFile.EMPTY, null)
            .resolve();
    try (DataDirectory d = DataDirectory.lock(restored);
        Stores stores = Stores.open(config, d, CLOCK)) {
      assertThat(stores.metadata().sessions().countSessions("console")).isZero();
    }
  }

  @Test
  void aDestinationTheClassForbids_writesNothing() {
    Path out = dir.resolve("backup");
    assertThatThrownBy(
            () ->
                Backups.create(
                    request(out, BackupDestination.declared("US", "non-EU", null, List.of())),
                    CLOCK))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("class 'personal' (bucket dossiers) forbids it");
    assertThat(out).doesNotExist();
  }

  @Test
  void anAlteredManifest_isToldApartFromAWrongPassphrase() throws Exception {
    Path out = dir.resolve("backup");
    Backups.create(request(out, BackupDestination.declared("FR", "EU", null, List.of())), CLOCK);
    assertThatThrownBy(() -> BackupRestore.verify(out, "another passphrase!".toCharArray()))
        .hasMessageContaining("wrong passphrase");
    Path manifest = out.resolve(BackupManifest.FILE);
    String json = Files.readString(manifest, StandardCharsets.UTF_8);
    Files.writeString(manifest, json.replace("\"personal\" : 1", "\"personal\" : 0"));
    assertThat(Files.readString(manifest)).isNotEqualTo(json);
    assertThatThrownBy(() -> BackupRestore.verify(out, PASSPHRASE))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("was altered");
    Path restored = dir.resolve("restored");
    assertThatThrownBy(() -> BackupRestore.restore(out, restored, PASSPHRASE, null, null, CLOCK))
        .isInstanceOf(BackupException.class);
    assertThat(restored).doesNotExist();
  }
}
