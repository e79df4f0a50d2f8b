package fr.coffre.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The objects an erasure certificate covers, as a canonical document and its digest: one line per
 * version with content, {@code BUCKET TAB KEY TAB VERSION_ID LF}, the key percent-encoded (every
 * byte of its UTF-8 form outside {@code A-Z a-z 0-9 - . _ ~ /} as {@code %XX}, upper case), lines
 * sorted by their bytes. The digest is {@code sha256:} and the hex SHA-256 of the document, so
 * {@code sha256sum} of the downloaded list gives it too (docs/admin-api.md, "Erasure certificate").
 */
public final class ErasureCoverage {
  /** A covered version. */
  public record Entry(String bucket, String key, String versionId) {}

  private ErasureCoverage() {}

  /** The canonical document of {@code entries}, in any order. */
  public static byte[] document(List<Entry> entries) {
    List<byte[]> lines = new ArrayList<>(entries.size());
    int size = 0;
    for (Entry e : entries) {
      byte[] line =
          (e.bucket() + '\t' + percent(e.key()) + '\t' + e.versionId() + '\n')
              .getBytes(StandardCharsets.UTF_8);
      lines.add(line);
      size += line.length;
    }
    lines.sort(Arrays::compareUnsigned);
    byte[] out = new byte[size];
    int at = 0;
    for (byte[] l : lines) {
      System.arraycopy(l, 0, out, at, l.length);
      at += l.length;
    }
    return out;
  }

  /** {@code sha256:} and the hex SHA-256 of {@code document}. */
  public static String digest(byte[] document) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many entries a document lists (its lines). */
  public static long count(byte[] document) {
    long n = 0;
    for (byte b : document) {
      if (b == '\n') {
        n++;
      }
    }
    return n;
  }

  private static String percent(String key) {
    StringBuilder b = new StringBuilder();
    for (byte x : key.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~'
          || c == '/') {
        b.append((char) c);
      } else {
        b.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      }
    }
    return b.toString();
  }
}
