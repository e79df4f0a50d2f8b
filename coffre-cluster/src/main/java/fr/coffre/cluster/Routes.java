package fr.coffre.cluster;

import fr.coffre.core.BlobId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The shape of the internal API, shared by {@link BlobServer} and {@link RemoteBlobStore} so that
 * both sides agree on it: paths, query parameters, headers and the two tiny JSON answers. A volume
 * name is percent-encoded into one path segment (any name a configuration allows stays one
 * segment); a blob id is its own string form, already URL-safe.
 */
final class Routes {
  static final String PREFIX = "/internal/v1";
  static final String HEALTH = PREFIX + "/health";
  static final String VOLUMES = PREFIX + "/volumes/";
  static final String BLOBS = "/blobs";

  /** {@code GET AUDIT + chain}: this node's export of one audit chain. */
  static final String AUDIT = PREFIX + "/audit/";

  static final String UPLOAD = "upload";
  static final String COMMIT = "commit";
  static final String ABORT = "abort";
  static final String SHA256 = "sha256";

  /** The full size of a blob, on GET and HEAD answers (a ranged GET carries only part of it). */
  static final String BLOB_SIZE = "X-Coffre-Blob-Size";

  /** Set to {@link #NO_SUCH_VOLUME} on a 404 for an unknown volume, which a HEAD cannot say. */
  static final String ERROR = "X-Coffre-Error";

  static final String NO_SUCH_VOLUME = "no-such-volume";

  private Routes() {}

  static String blobs(String volume) {
    return VOLUMES + encode(volume) + BLOBS;
  }

  static String blob(String volume, BlobId id) {
    return blobs(volume) + "/" + id.value();
  }

  static String audit(String chain) {
    return AUDIT + encode(chain);
  }

  /** Percent-encodes every byte but the unreserved characters of RFC 3986. */
  static String encode(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
      }
    }
    return out.toString();
  }

  /** Decodes a percent-encoded path segment; null when it is malformed. */
  static @Nullable String decode(String segment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()
            || !HexFormat.isHexDigit(segment.charAt(i + 1))
            || !HexFormat.isHexDigit(segment.charAt(i + 2))) {
          return null;
        }
        out.write(HexFormat.fromHexDigits(segment, i + 1, i + 3));
        i += 2;
      } else if (c > 0x7e) {
        return null;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** {@code {"sha256":"…","size":N}}, the answer to an upload and to a commit. */
  static String receipt(String sha256, long size) {
    return "{\"sha256\":\"" + sha256 + "\",\"size\":" + size + "}\n";
  }

  /** A JSON string literal. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
