package fr.coffre.metadata;

import fr.coffre.core.BucketName;
import fr.coffre.core.ObjectKey;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ValueSealer} a database's rows use, installed once the server holds its root key, and
 * the context each sealed column is bound to. Until one is installed, values are written in clear
 * (offline tools without the root key, tests) and a sealed value cannot be read.
 */
final class Sealing {
  private volatile @Nullable ValueSealer sealer;

  void use(ValueSealer sealer) {
    this.sealer = sealer;
  }

  boolean active() {
    return sealer != null;
  }

  String seal(String value, String context) {
    ValueSealer s = sealer;
    return s == null ? value : s.seal(value, context);
  }

  @Nullable String sealNullable(@Nullable String value, String context) {
    return value == null ? null : seal(value, context);
  }

  String open(String stored, String context) {
    if (!stored.startsWith(ValueSealer.PREFIX)) {
      return stored; // written in clear before sealing existed, or by an offline tool
    }
    ValueSealer s = sealer;
    if (s == null) {
      throw new IllegalStateException(
          "a sealed metadata value cannot be read before the root key is available");
    }
    return s.open(stored, context);
  }

  @Nullable String openNullable(@Nullable String stored, String context) {
    return stored == null ? null : open(stored, context);
  }

  /** The ETag of a version, bound to its bucket, key and version id. */
  static String etag(BucketName bucket, ObjectKey key, String versionId) {
    return "etag|" + bucket.value() + "|" + versionId + "|" + HexFormat.of().formatHex(key.utf8());
  }

  /** A column of a multipart part ({@code etag} or {@code checksum}), bound to the part. */
  static String part(String column, String uploadId, int partNumber) {
    return "part-" + column + "|" + uploadId + "|" + partNumber;
  }

  /** The ETag a completed upload answered, bound to the upload. */
  static String completed(String uploadId) {
    return "completed-etag|" + uploadId;
  }

  /** The ETag a share link was made for, bound to the link. */
  static String share(String id) {
    return "share-etag|" + id;
  }
}
