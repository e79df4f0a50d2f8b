package fr.coffre.migrate;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One version (or delete marker) of one object, a line of a bucket's {@code objects.jsonl}. Times
 * are ISO-8601 instants; a field the source did not answer is absent.
 *
 * @param key the object key, exactly as S3 returned it
 * @param versionId the version id ({@code "null"} for a version written while versioning was off)
 * @param latest whether this version was the current one
 * @param deleteMarker true for a delete marker (no content, no metadata)
 * @param content the content file, relative to the export root
 * @param sha256 the SHA-256 of the content file, computed while it was written
 * @param checksums the checksums the source returned, by algorithm (CRC32, CRC32C, CRC64NVME, SHA1,
 *     SHA256), base64 as in S3
 */
public record ObjectEntry(
    String key,
    String versionId,
    boolean latest,
    boolean deleteMarker,
    @Nullable String lastModified,
    @Nullable String etag,
    @Nullable Long size,
    @Nullable String storageClass,
    @Nullable String content,
    @Nullable String sha256,
    @Nullable String contentType,
    @Nullable String cacheControl,
    @Nullable String contentDisposition,
    @Nullable String contentEncoding,
    @Nullable String contentLanguage,
    @Nullable String expires,
    @Nullable Map<String, String> metadata,
    @Nullable Map<String, String> tags,
    @Nullable Map<String, String> checksums,
    @Nullable String checksumType,
    @Nullable Retention retention,
    @Nullable String legalHold) {

  /** An Object Lock retention: mode GOVERNANCE or COMPLIANCE, until an instant. */
  public record Retention(String mode, String retainUntil) {}

  /** Whether this entry describes the same version as a listing's, unchanged since. */
  boolean sameVersionAs(ObjectEntry listed) {
    return key.equals(listed.key)
        && versionId.equals(listed.versionId)
        && deleteMarker == listed.deleteMarker
        && java.util.Objects.equals(etag, listed.etag)
        && java.util.Objects.equals(lastModified, listed.lastModified)
        && java.util.Objects.equals(size, listed.size);
  }

  ObjectEntry withLatest(boolean isLatest) {
    return new ObjectEntry(
        key,
        versionId,
        isLatest,
        deleteMarker,
        lastModified,
        etag,
        size,
        storageClass,
        content,
        sha256,
        contentType,
        cacheControl,
        contentDisposition,
        contentEncoding,
        contentLanguage,
        expires,
        metadata,
        tags,
        checksums,
        checksumType,
        retention,
        legalHold);
  }
}
