package fr.coffre.s3;

import java.util.Locale;

/**
 * The bucket and key a request addresses: path style ({@code /bucket/key}) or, when a domain is
 * configured and the Host is {@code bucket.domain}, virtual-hosted style ({@code /key}). The key is
 * percent-decoded exactly once; '+' in a path is a plus, and no path normalisation happens, so keys
 * like {@code a//b} or {@code ../x} stay what they are.
 */
record Address(String bucket, String key) {

  static Address of(RawRequest raw, String domain) {
    String path = raw.rawPath() == null || raw.rawPath().isEmpty() ? "/" : raw.rawPath();
    if (!path.startsWith("/")) {
      throw new S3Exception(S3Error.INVALID_URI);
    }
    String host = hostWithoutPort(raw.header("host"));
    if (domain != null && host != null && host.endsWith("." + domain)) {
      String bucket = host.substring(0, host.length() - domain.length() - 1);
      String key = path.length() > 1 ? decodePath(path.substring(1)) : null;
      return new Address(bucket, key);
    }
    String rest = path.substring(1);
    if (rest.isEmpty()) {
      return new Address(null, null);
    }
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return new Address(decodePath(rest), null);
    }
    String bucket = decodePath(rest.substring(0, slash));
    String key = rest.substring(slash + 1);
    return new Address(bucket, key.isEmpty() ? null : decodePath(key));
  }

  private static String hostWithoutPort(String host) {
    if (host == null) {
      return null;
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    return colon > 0 && !h.endsWith("]") ? h.substring(0, colon) : h;
  }

  /** Percent-decodes a path segment as UTF-8; '+' stays a plus. */
  static String decodePath(String s) {
    return Percent.decode(s, false);
  }
}
