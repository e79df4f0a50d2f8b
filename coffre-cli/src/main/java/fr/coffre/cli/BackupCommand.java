package fr.coffre.cli;

import fr.coffre.server.BackupDestination;
import fr.coffre.server.BackupException;
import fr.coffre.server.BackupRestore;
import fr.coffre.server.Backups;
import fr.coffre.server.ConfigFile;
import fr.coffre.server.ServerConfig;
import fr.coffre.server.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffre backup}: an encrypted, verifiable backup of a server's metadata, key material,
 * audit trail and configuration, taken while it runs; {@code coffre backup verify} checks one.
 */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Backs up, while the server runs, what it needs besides its blobs: the metadata (SQLite"
          + " snapshot, or pg_dump with --metadata), the key material and audit trail of the data"
          + " directory, and the configuration file; encrypted under a passphrase (docs/backup.md).",
      "The destination is declared (--site, or --country/--jurisdiction) and refused when a"
          + " bucket's sensitivity class forbids it."
    },
    subcommands = {BackupCommand.Verify.class})
final class BackupCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The server's configuration file (env COFFRE_CONFIG); it is backed up too.")
  Path config;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "The server's data directory (env COFFRE_DATA).")
  String data;

  @Option(
      names = "--metadata",
      paramLabel = "URL",
      description =
          "The server's PostgreSQL metadata (env COFFRE_METADATA_URL, password in"
              + " COFFRE_METADATA_PASSWORD); without it, the SQLite file of the data directory.")
  String metadata;

  @Option(
      names = "--out",
      paramLabel = "BACKUP_DIR",
      description = "A new or empty directory outside the data directory.")
  Path out;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description = "The backup passphrase (12+ characters); else env COFFRE_BACKUP_PASSPHRASE.")
  Path passphraseFile;

  @Option(
      names = "--site",
      paramLabel = "NAME",
      description = "The backup goes to this configured site (placement.locations).")
  String site;

  @Option(
      names = "--country",
      paramLabel = "CC",
      description = "Or: the destination's country (ISO 3166-1 alpha-2).")
  String country;

  @Option(
      names = "--jurisdiction",
      paramLabel = "EU|non-EU",
      description = "The destination's jurisdiction.")
  String jurisdiction;

  @Option(names = "--operator", paramLabel = "NAME", description = "Who operates the destination.")
  String operator;

  @Option(
      names = "--qualification",
      paramLabel = "Q",
      description = "A qualification the destination holds (secnumcloud, hds, ...); repeatable.")
  List<String> qualifications = new ArrayList<>();

  @Override
  public Integer call() {
    if (out == null) {
      System.err.println("coffre: --out BACKUP_DIR is required (or: coffre backup verify DIR)");
      return 2;
    }
    ServerConfig resolved;
    char[] passphrase;
    BackupDestination destination;
    Path file = configFile(config);
    try {
      Map<String, String> flags = new LinkedHashMap<>();
      flags.put("data", data);
      flags.put("metadata", metadata);
      ConfigFile loaded = file == null ? ConfigFile.EMPTY : ConfigFile.load(file);
      resolved =
          new Settings(flags, System.getenv(), loaded, file == null ? null : file.toString())
              .resolve();
      passphrase = passphrase(passphraseFile);
      destination = new BackupDestination(site, country, jurisdiction, operator, qualifications);
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("coffre: " + e.getMessage());
      return 2;
    }
    try {
      Backups.create(
              new Backups.Request(resolved, file, out, destination, passphrase), Clock.systemUTC())
          .forEach(System.out::println);
      return 0;
    } catch (BackupException | IllegalArgumentException | IllegalStateException e) {
      System.err.println("coffre: " + e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      System.err.println("coffre: backup failed: " + e);
      return 1;
    }
  }

  static Path configFile(Path config) {
    String env = System.getenv("COFFRE_CONFIG");
    return config != null ? config : env != null && !env.isEmpty() ? Path.of(env) : null;
  }

  /** From the file (its first line), else COFFRE_BACKUP_PASSPHRASE; IOException-free message. */
  static char[] passphrase(Path file) throws IOException {
    if (file != null) {
      List<String> lines = Files.readAllLines(file);
      if (lines.isEmpty() || lines.get(0).isEmpty()) {
        throw new IllegalArgumentException("--passphrase-file " + file + " is empty");
      }
      return lines.get(0).toCharArray();
    }
    String env = System.getenv("COFFRE_BACKUP_PASSPHRASE");
    if (env == null || env.isEmpty()) {
      throw new IllegalArgumentException(
          "give the backup passphrase: --passphrase-file FILE or env COFFRE_BACKUP_PASSPHRASE");
    }
    return env.toCharArray();
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Checks a backup without restoring it: the passphrase, the manifest's MAC, each file's"
              + " size and SHA-256, and every byte decrypted. Exit 0 when intact, 1 otherwise.")
  static final class Verify implements Callable<Integer> {
    @Parameters(paramLabel = "BACKUP_DIR")
    Path dir;

    @Option(
        names = "--passphrase-file",
        paramLabel = "FILE",
        description = "The backup passphrase; else env COFFRE_BACKUP_PASSPHRASE.")
    Path passphraseFile;

    @Override
    public Integer call() {
      try {
        BackupRestore.verify(dir, passphrase(passphraseFile)).forEach(System.out::println);
        return 0;
      } catch (IllegalArgumentException e) {
        System.err.println("coffre: " + e.getMessage());
        return 2;
      } catch (BackupException e) {
        System.err.println("coffre: " + e.getMessage());
        return 1;
      } catch (IOException e) {
        System.err.println("coffre: cannot read the backup: " + e);
        return 1;
      }
    }
  }
}
