package fr.coffre.cli;

import fr.coffre.server.BackupException;
import fr.coffre.server.BackupRestore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffre restore}: a backup into a new, empty data directory (docs/backup.md). */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restores a backup (coffre backup) into a new or empty data directory, after verifying all"
          + " of it. Start the server there with the same volumes: blobs written after the backup"
          + " are listed at its first start and kept, not collected."
    })
final class RestoreCommand implements Callable<Integer> {
  @Option(names = "--from", required = true, paramLabel = "BACKUP_DIR")
  Path from;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "NEW_DIR",
      description = "The data directory to restore into: absent or empty.")
  Path data;

  @Option(
      names = "--metadata",
      paramLabel = "URL",
      description =
          "For a PostgreSQL backup: the empty database to pg_restore into (password in"
              + " COFFRE_METADATA_PASSWORD or COFFRE_METADATA_PASSWORD_FILE).")
  String metadata;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description = "The backup passphrase; else env COFFRE_BACKUP_PASSPHRASE.")
  Path passphraseFile;

  @Override
  public Integer call() {
    char[] passphrase;
    String password;
    try {
      passphrase = BackupCommand.passphrase(passphraseFile);
      password = metadata == null ? null : password();
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("coffre: " + e.getMessage());
      return 2;
    }
    try {
      BackupRestore.restore(from, data, passphrase, metadata, password, Clock.systemUTC())
          .forEach(System.out::println);
      return 0;
    } catch (BackupException | IllegalArgumentException | IllegalStateException e) {
      System.err.println("coffre: " + e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      System.err.println("coffre: restore failed: " + e);
      return 1;
    }
  }

  private static String password() throws IOException {
    String p = System.getenv("COFFRE_METADATA_PASSWORD");
    if (p != null && !p.isEmpty()) {
      return p;
    }
    String f = System.getenv("COFFRE_METADATA_PASSWORD_FILE");
    return f == null || f.isEmpty() ? null : Files.readString(Path.of(f)).strip();
  }
}
