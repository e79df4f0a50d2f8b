package fr.coffre.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import fr.coffre.core.BlobId;
import fr.coffre.service.AuditService;
import fr.coffre.service.BlobJanitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a restore leaves for the first start on the restored directory ({@code DATA/restore.json}).
 * That start lists the blobs on the volumes that the restored metadata does not reference (written
 * after the backup, or true orphans) into {@code DATA/restore-unreferenced.txt}, and the start-up
 * collection keeps them for as long as that list exists: deleting them would destroy the only bytes
 * of objects acknowledged after the backup, which an operator may still want to recover or account
 * for. Once the server listens, the restore is recorded in the audit trail's system chain ({@code
 * Restore}) and the marker becomes {@code restore.done.json}.
 *
 * @param backupCreated when the backup's snapshot was taken
 * @param restoredAt when it was restored
 * @param from the backup directory
 * @param manifestSha256 SHA-256 of the backup's manifest
 * @param blobsReferenced how many blobs the restored metadata references
 */
record RestoreMarker(
    String backupCreated,
    String restoredAt,
    String from,
    String manifestSha256,
    long blobsReferenced) {
  static final String FILE = "restore.json";
  static final String DONE = "restore.done.json";
  static final String UNREFERENCED = "restore-unreferenced.txt";
  private static final Logger LOG = LoggerFactory.getLogger(RestoreMarker.class);

  static void write(Path data, RestoreMarker marker) throws IOException {
    try {
      Backups.writeDurably(data.resolve(FILE), BackupManifest.JSON.writeValueAsBytes(marker));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static @Nullable RestoreMarker read(Path data) throws IOException {
    Path file = data.resolve(FILE);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return BackupManifest.JSON.readValue(Files.readAllBytes(file), RestoreMarker.class);
    } catch (IOException e) {
      throw new IllegalStateException(
          file
              + " is unreadable ("
              + e.getMessage()
              + "); it was written by coffre restore."
              + " Nothing was started.",
          e);
    }
  }

  /**
   * The blobs the start-up collection must keep: after a restore, those no row references; listed
   * (and logged) at the first start after it, then read back from the list at each start until the
   * operator deletes it.
   */
  static Set<BlobId> keptBlobs(Path data, BlobJanitor janitor) throws IOException {
    Path list = data.resolve(UNREFERENCED);
    if (!Files.exists(list) && Files.exists(data.resolve(FILE))) {
      List<BlobId> unreferenced = janitor.unreferenced();
      StringBuilder text =
          new StringBuilder(
              "# Blobs on the volumes that the restored metadata does not reference (written after"
                  + " the backup, or orphans).\n# Kept while this file exists; delete it to let the"
                  + " start-up collection reclaim them. docs/backup.md\n");
      unreferenced.forEach(id -> text.append(id.value()).append('\n'));
      Path tmp = data.resolve(UNREFERENCED + ".tmp");
      Files.deleteIfExists(tmp);
      Backups.writeDurably(tmp, text.toString().getBytes(StandardCharsets.US_ASCII));
      Files.move(tmp, list, StandardCopyOption.ATOMIC_MOVE);
      Backups.forceDirectory(data);
      if (unreferenced.isEmpty()) {
        LOG.info("restored from a backup: every blob on the volumes is referenced by the metadata");
      } else {
        LOG.warn(
            "restored from a backup: {} blobs on the volumes are not referenced by the restored"
                + " metadata (objects written after the backup, or orphans); kept, listed in {}"
                + " (docs/backup.md)",
            unreferenced.size(),
            list);
      }
    }
    if (!Files.exists(list)) {
      return Set.of();
    }
    Set<BlobId> kept = new HashSet<>();
    for (String line : Files.readAllLines(list, StandardCharsets.US_ASCII)) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        try {
          kept.add(new BlobId(l));
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException(
              list + ": '" + l + "' is not a blob id; fix or delete the file. Nothing was started.",
              e);
        }
      }
    }
    if (!kept.isEmpty()) {
      LOG.info("keeping {} unreferenced blobs listed in {} (after a restore)", kept.size(), list);
    }
    return kept;
  }

  /**
   * Records the restore in the system chain (when the trail is on) once the server listens, then
   * retires the marker; the next starts do not record it again.
   */
  static void recordStart(Path data, @Nullable AuditService audit, Clock clock) throws IOException {
    RestoreMarker m = read(data);
    if (m == null) {
      return;
    }
    Path list = data.resolve(UNREFERENCED);
    long unreferenced = 0;
    if (Files.exists(list)) {
      unreferenced =
          Files.readAllLines(list, StandardCharsets.US_ASCII).stream()
              .filter(l -> !l.isBlank() && !l.startsWith("#"))
              .count();
    }
    if (audit != null) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("backupCreated", m.backupCreated());
      details.put("restoredAt", m.restoredAt());
      details.put("from", m.from());
      details.put("manifestSha256", m.manifestSha256());
      details.put("blobsReferenced", m.blobsReferenced());
      details.put("blobsUnreferenced", unreferenced);
      audit.recordFor(
          null,
          ServerAudit.serverEvent(
              clock,
              "Restore",
              BackupManifest.JSON
                  .writer()
                  .without(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(details)));
    } else {
      LOG.warn("the restore from {} is not recorded: the audit trail is off", m.from());
    }
    Files.move(data.resolve(FILE), data.resolve(DONE), StandardCopyOption.REPLACE_EXISTING);
    Backups.forceDirectory(data);
  }
}
