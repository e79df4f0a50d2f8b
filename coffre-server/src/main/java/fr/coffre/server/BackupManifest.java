package fr.coffre.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fr.coffre.crypto.BackupCipher;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a backup holds ({@code BACKUP/manifest.json}, authenticated by {@code manifest.mac}): when
 * it was made and from what, which blobs and volumes it matches, the destination it was checked
 * against, the key derivation, and each encrypted entry with its sizes and SHA-256 digests. It is
 * readable without the passphrase (an operator can see what a backup is) and names no bucket, key
 * or tenant.
 *
 * @param format {@link #FORMAT}
 * @param created when the metadata snapshot was taken (ISO-8601, UTC)
 * @param coffreVersion the version that wrote it, or null from a development build
 * @param metadata {@code sqlite} or {@code postgresql}
 * @param databaseId the PostgreSQL database's id (the data directory's pin), else null
 * @param dataDir the data directory backed up
 * @param blobs the blob set the metadata references: how many, and the SHA-256 of their sorted ids
 * @param volumes the configured volumes (name, site, path), which the backup does not hold
 * @param classes how many buckets of each sensitivity class the metadata holds
 * @param destination the destination declared and checked against those classes
 * @param kdf how the keys derive from the passphrase
 * @param keyCheck tells whether a passphrase is this backup's
 * @param entries the encrypted files, in the order they were written
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BackupManifest(
    int format,
    String created,
    @Nullable String coffreVersion,
    String metadata,
    @Nullable String databaseId,
    String dataDir,
    BlobSet blobs,
    List<Volume> volumes,
    Map<String, Integer> classes,
    BackupDestination destination,
    BackupCipher.Kdf kdf,
    String keyCheck,
    List<Entry> entries) {
  static final int FORMAT = 1;
  static final String FILE = "manifest.json";
  static final String MAC_FILE = "manifest.mac";

  /** The referenced blobs: their count and the SHA-256 of their ids, sorted, one per line. */
  record BlobSet(long count, String sha256) {}

  record Volume(String name, @Nullable String site, String path) {}

  /**
   * One encrypted file of the backup.
   *
   * @param name the entry's name, bound to its ciphertext (associated data)
   * @param file the file in the backup directory
   * @param content what it holds once decrypted
   * @param size bytes once decrypted
   * @param sha256 hex SHA-256 once decrypted
   * @param encryptedSize bytes of the file
   * @param encryptedSha256 hex SHA-256 of the file
   */
  record Entry(
      String name,
      String file,
      String content,
      long size,
      String sha256,
      long encryptedSize,
      String encryptedSha256) {}

  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a manifest; IllegalArgumentException when it is not one this version understands. */
  static BackupManifest parse(byte[] json) {
    BackupManifest m;
    try {
      m = JSON.readValue(json, BackupManifest.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("the manifest is not valid JSON: " + e.getMessage(), e);
    }
    if (m.format() != FORMAT) {
      throw new IllegalArgumentException(
          "the manifest's format is " + m.format() + "; this Coffre reads format " + FORMAT);
    }
    if (m.created() == null
        || m.metadata() == null
        || m.dataDir() == null
        || m.blobs() == null
        || m.volumes() == null
        || m.classes() == null
        || m.destination() == null
        || m.kdf() == null
        || m.keyCheck() == null
        || m.entries() == null) {
      throw new IllegalArgumentException(
          "the manifest lacks a field (created, metadata, dataDir, blobs, volumes, classes,"
              + " destination, kdf, keyCheck, entries)");
    }
    return m;
  }

  /** The entry named {@code name}, or null. */
  @Nullable Entry entry(String name) {
    return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
  }
}
