package fr.coffre.s3.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The canonical request of SigV4 as S3 computes it, from a request as it arrived.
 *
 * <p>S3 signs the URI-encoded object key without double encoding and without path normalization
 * ({@code //} and {@code .} segments stay). Clients differ in what they escape on the wire ({@code
 * ~} as {@code %7E}, raw UTF-8, {@code =} or {@code +} left bare...) but all sign the AWS encoding
 * of the same key, so the path is decoded once and re-encoded the AWS way: every byte but {@code
 * A-Z a-z 0-9 - _ . ~ /} as upper-case {@code %XY}. Query names and values get the same treatment
 * ({@code /} escaped too), with {@code +} read as a space as in form encoding, then are sorted by
 * name and value.
 */
final class CanonicalRequest {
  private CanonicalRequest() {}

  /** One query parameter: decoded (for lookups) and canonically encoded (for signing). */
  record Param(String name, String value, String encodedName, String encodedValue) {}

  static String of(
      String method,
      String uri,
      String query,
      String headers,
      String signedHeaders,
      String payloadHash) {
    return method
        + '\n'
        + uri
        + '\n'
        + query
        + '\n'
        + headers
        + '\n'
        + signedHeaders
        + '\n'
        + payloadHash;
  }

  /**
   * The canonical URIs a client may have signed for this path, most likely first: the AWS
   * re-encoding of the decoded path, then the path exactly as sent (clients that sign what they
   * send). Both name the same key, so accepting either lets no one sign for another resource.
   */
  static List<String> uriCandidates(String rawPath) {
    String raw = rawPath.isEmpty() ? "/" : rawPath;
    byte[] decoded = percentDecode(raw, false);
    List<String> candidates = new ArrayList<>(2);
    if (decoded != null) {
      candidates.add(encode(decoded, true));
    }
    if (candidates.isEmpty() || !candidates.get(0).equals(raw)) {
      candidates.add(raw);
    }
    return candidates;
  }

  /** Splits a raw query into parameters, in order; a name without '=' has the empty value. */
  static List<Param> parseQuery(String rawQuery) {
    List<Param> params = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String rawName = eq < 0 ? pair : pair.substring(0, eq);
      String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
      byte[] name = percentDecode(rawName, true);
      byte[] value = percentDecode(rawValue, true);
      params.add(
          new Param(
              name == null ? rawName : new String(name, StandardCharsets.UTF_8),
              value == null ? rawValue : new String(value, StandardCharsets.UTF_8),
              // An undecodable part is left as sent; the router refuses such URIs anyway.
              name == null ? rawName : encode(name, false),
              value == null ? rawValue : encode(value, false)));
    }
    return params;
  }

  /** The canonical query string, without {@code X-Amz-Signature} for presigned requests. */
  static String query(List<Param> params, boolean presigned) {
    List<Param> kept = new ArrayList<>(params.size());
    for (Param p : params) {
      if (!(presigned && p.name().equals("X-Amz-Signature"))) {
        kept.add(p);
      }
    }
    kept.sort(Comparator.comparing(Param::encodedName).thenComparing(Param::encodedValue));
    StringBuilder b = new StringBuilder();
    for (Param p : kept) {
      if (!b.isEmpty()) {
        b.append('&');
      }
      b.append(p.encodedName()).append('=').append(p.encodedValue());
    }
    return b.toString();
  }

  /**
   * The canonical headers block: {@code name:value\n} for each signed header in the order the
   * client listed them, values trimmed with inner whitespace runs collapsed, repeated headers
   * joined by commas. A signed header that is absent counts as empty, as S3 does.
   */
  static String headers(SigV4Request request, List<String> signedHeaders) {
    StringBuilder b = new StringBuilder(256);
    for (String name : signedHeaders) {
      b.append(name).append(':');
      List<String> values = request.headers(name);
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        trimAll(b, values.get(i));
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** Appends {@code value} trimmed, each inner run of whitespace as one space. */
  static void trimAll(StringBuilder b, String value) {
    boolean pendingSpace = false;
    boolean started = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (isWhitespace(c)) {
        pendingSpace = started;
      } else {
        if (pendingSpace) {
          b.append(' ');
          pendingSpace = false;
        }
        b.append(c);
        started = true;
      }
    }
  }

  // The set the AWS SDKs collapse: space, tab, LF, vertical tab, form feed, CR.
  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
  }

  /**
   * The bytes {@code s} stands for: {@code %XY} escapes decoded, other characters as their UTF-8
   * bytes, {@code +} as a space when {@code plusIsSpace}; null when an escape is malformed.
   */
  static byte[] percentDecode(String s, boolean plusIsSpace) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi << 4 | lo);
        i += 3;
      } else if (c < 0x80) {
        out.write(c == '+' && plusIsSpace ? ' ' : c);
        i++;
      } else {
        int cp = s.codePointAt(i);
        byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(utf8, 0, utf8.length);
        i += Character.charCount(cp);
      }
    }
    return out.toByteArray();
  }

  /** URI-encodes bytes the SigV4 way, keeping {@code /} when {@code keepSlash}. */
  static String encode(byte[] bytes, boolean keepSlash) {
    StringBuilder b = new StringBuilder(bytes.length + 16);
    for (byte x : bytes) {
      int c = x & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || (keepSlash && c == '/')) {
        b.append((char) c);
      } else {
        b.append('%').append(HEX_DIGITS[c >>> 4]).append(HEX_DIGITS[c & 0xf]);
      }
    }
    return b.toString();
  }

  private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();
}
