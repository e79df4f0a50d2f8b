package fr.coffre.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * Which metadata database a data directory's blobs belong with ({@code DATA/metadata.pin}), checked
 * before anything reads the blobs. At start the janitor deletes every blob that no row names: a
 * server started on the wrong database (another one, an empty one, or SQLite after PostgreSQL
 * because the URL went missing from a unit file) would delete every blob. So the first start with a
 * PostgreSQL database writes that database's id here, and a start with another database, or with
 * SQLite, is refused. SQLite needs no pin (its file is in the directory); a directory that holds
 * one is refused by PostgreSQL, since rows cannot be moved yet.
 */
final class MetadataPin {
  static final String FILE = "metadata.pin";
  static final String SQLITE_FILE = "metadata.db";

  private MetadataPin() {}

  /**
   * Admits a start with {@code databaseId} (a PostgreSQL database's id, or null for SQLite), or
   * throws IllegalStateException saying why not and what to do.
   */
  static void check(Path data, String databaseId) throws IOException {
    Path file = data.resolve(FILE);
    String pinned = Files.exists(file) ? read(file) : null;
    if (databaseId == null) {
      if (pinned != null) {
        throw new IllegalStateException(
            "this data directory's metadata is in the PostgreSQL database "
                + pinned
                + " ("
                + file
                + "); start with --metadata (COFFRE_METADATA_URL, metadata.url) naming it. Nothing was started.");
      }
      return;
    }
    if (pinned != null) {
      if (!pinned.equals(databaseId)) {
        throw new IllegalStateException(
            "this data directory belongs with the PostgreSQL database "
                + pinned
                + " ("
                + file
                + "), but the metadata URL leads to the database "
                + databaseId
                + "; its blobs would be deleted as"
                + " orphans. Point --metadata at the right database. Nothing was started.");
      }
      return;
    }
    if (Files.exists(data.resolve(SQLITE_FILE))) {
      throw new IllegalStateException(
          "this data directory's metadata is in "
              + data.resolve(SQLITE_FILE)
              + " (SQLite); Coffre cannot move it to PostgreSQL yet. Start without --metadata, or give PostgreSQL an empty"
              + " data directory. Nothing was started.");
    }
    write(file, databaseId);
  }

  private static String read(Path file) throws IOException {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    String id = p.getProperty("postgresql");
    if (id == null || id.isBlank()) {
      throw new IllegalStateException(
          file + " names no database; restore it from a backup. Nothing was started.");
    }
    return id.strip();
  }

  /** Writes the pin atomically and durably: a crash leaves the old state or the new, never half. */
  private static void write(Path file, String databaseId) throws IOException {
    Path tmp = file.resolveSibling(FILE + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        tmp,
        "# Coffre: the metadata database of this data directory's blobs. Do not edit;"
            + " see docs/on-disk-format.md.\nformat=1\npostgresql="
            + databaseId
            + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.WRITE,
        StandardOpenOption.SYNC);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
