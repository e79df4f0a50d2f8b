package fr.coffre.server;

import fr.coffre.core.StorageFailureException;
import fr.coffre.metadata.PostgresUrl;
import fr.coffre.metadata.SqliteMetadataStore;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A consistent copy of the metadata while the server runs: SQLite's {@code VACUUM INTO} (one read
 * transaction), or PostgreSQL's own {@code pg_dump} (one repeatable-read snapshot, custom format)
 * and {@code pg_restore} to put it back. The PostgreSQL tools are run, not re-implemented; the
 * password goes to them in {@code PGPASSWORD}, never on a command line.
 */
final class MetadataDump {
  static final String SQLITE = "sqlite";
  static final String POSTGRESQL = "postgresql";

  private MetadataDump() {}

  static void sqlite(Path data, Path out) {
    Path live = data.resolve(MetadataPin.SQLITE_FILE);
    if (!Files.isRegularFile(live)) {
      throw new BackupException(
          "no metadata database at "
              + live
              + ": not a Coffre data directory, or its metadata is in PostgreSQL (give --metadata"
              + " or --config as the server has them)");
    }
    try {
      SqliteMetadataStore.snapshot(live, out);
    } catch (StorageFailureException e) {
      throw new BackupException(
          e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()), e);
    }
  }

  static void pgDump(ServerConfig.Metadata metadata, Path out) throws IOException {
    run(
        List.of(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file=" + out,
            "--dbname=" + libpq(metadata.url())),
        metadata.password(),
        "pg_dump");
  }

  /** Restores a dump into the (empty) database {@code metadata} names; stops at the first error. */
  static void pgRestore(ServerConfig.Metadata metadata, Path dump) throws IOException {
    run(
        List.of(
            "pg_restore",
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            "--dbname=" + libpq(metadata.url()),
            dump.toString()),
        metadata.password(),
        "pg_restore");
  }

  /**
   * The URL as libpq takes it: the hosts, database and user of the JDBC URL; of its parameters only
   * {@code sslmode}, which both understand (the others are the JDBC driver's).
   */
  static String libpq(PostgresUrl url) {
    String rest = url.jdbcUrl().substring("jdbc:postgresql://".length());
    int q = rest.indexOf('?');
    String base = q < 0 ? rest : rest.substring(0, q);
    List<String> kept = new ArrayList<>();
    if (q >= 0) {
      for (String p : rest.substring(q + 1).split("&")) {
        if (p.startsWith("sslmode=")) {
          kept.add(p);
        }
      }
    }
    String user =
        url.user() == null ? "" : URLEncoder.encode(url.user(), StandardCharsets.UTF_8) + "@";
    return "postgresql://" + user + base + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
  }

  private static void run(List<String> command, @Nullable String password, String tool)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (password != null) {
      pb.environment().put("PGPASSWORD", password);
    }
    pb.environment().putIfAbsent("PGCONNECT_TIMEOUT", "10");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new BackupException(
          tool
              + " could not be run ("
              + e.getMessage()
              + "): install PostgreSQL's client tools (Debian: postgresql-client) of the server's"
              + " major version or later",
          e);
    }
    byte[] output = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(1, TimeUnit.HOURS)) {
        p.destroyForcibly();
        throw new BackupException(tool + " did not finish within an hour; stopped");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new BackupException(tool + " was interrupted", e);
    }
    if (p.exitValue() != 0) {
      String text = new String(output, StandardCharsets.UTF_8).strip();
      throw new BackupException(
          tool + " failed (exit " + p.exitValue() + "): " + (text.isEmpty() ? "no output" : text));
    }
  }
}
