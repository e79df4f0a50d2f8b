package fr.coffre.core;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a crypto-shredding destroyed, stated so it can be signed and checked later: which KMS key,
 * when, by whom, why, and how much data was encrypted under it. Times are ISO-8601 UTC strings.
 *
 * @param override whether the key was destroyed before the end of its waiting period
 * @param objects objects whose data keys only that key could open
 * @param bytes their total size
 * @param uploads multipart uploads in progress under the key (aborted by the destruction)
 * @param versions how many versions of key material were destroyed
 * @param rootKeyId the root key of the server that destroyed it
 * @param covered format 2: the digest ({@code sha256:HEX}) of the list of the versions counted in
 *     {@code objects} ({@link ErasureCoverage}); null in format 1
 */
public record ErasureCertificate(
    String format,
    String keyId,
    @Nullable String alias,
    String keyCreated,
    String destroyedAt,
    String destroyedBy,
    @Nullable String requestedFrom,
    @Nullable String reason,
    boolean override,
    @Nullable String scheduledDeletionDate,
    int versions,
    long objects,
    long bytes,
    long uploads,
    String rootKeyId,
    @Nullable String covered) {
  /** The format issued: 2 adds {@code covered}. */
  public static final String FORMAT = "coffre-erasure-certificate/2";

  /** The first format, still verified: no digest of the covered objects. */
  public static final String FORMAT_1 = "coffre-erasure-certificate/1";

  /**
   * The exact bytes the signature covers: one {@code name=value} line per field, in order; format 2
   * adds a last line {@code covered=}.
   */
  public byte[] canonicalBytes() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("format", format);
    fields.put("keyId", keyId);
    fields.put("alias", alias);
    fields.put("keyCreated", keyCreated);
    fields.put("destroyedAt", destroyedAt);
    fields.put("destroyedBy", destroyedBy);
    fields.put("requestedFrom", requestedFrom);
    fields.put("reason", reason);
    fields.put("override", override);
    fields.put("scheduledDeletionDate", scheduledDeletionDate);
    fields.put("versions", versions);
    fields.put("objects", objects);
    fields.put("bytes", bytes);
    fields.put("uploads", uploads);
    fields.put("rootKeyId", rootKeyId);
    if (!FORMAT_1.equals(format)) {
      fields.put("covered", covered);
    }
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Object> f : fields.entrySet()) {
      b.append(f.getKey()).append('=').append(escape(f.getValue())).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(@Nullable Object value) {
    if (value == null) {
      return "\\0";
    }
    return value.toString().replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
  }
}
