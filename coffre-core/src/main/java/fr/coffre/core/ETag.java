package fr.coffre.core;

import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * An entity tag: the lowercase hex MD5 of the content for single-part objects, optionally followed
 * by {@code -N} for multipart objects.
 */
public record ETag(String value) {
  private static final Pattern SHAPE = Pattern.compile("[0-9a-f]{32}(-\\d{1,5})?");

  public ETag {
    if (value == null || !SHAPE.matcher(value).matches()) {
      throw new IllegalArgumentException("not an ETag: " + value);
    }
  }

  public static ETag ofMd5(byte[] md5) {
    return new ETag(HexFormat.of().formatHex(md5));
  }

  /**
   * Whether this is a multipart upload's ETag ({@code md5-of-md5s-N}), not the MD5 of the content.
   */
  public boolean isMultipart() {
    return value.indexOf('-') >= 0;
  }

  /** The value as sent in HTTP headers and XML: in double quotes. */
  public String quoted() {
    return '"' + value + '"';
  }

  /**
   * Whether an If-Match / If-None-Match entity tag (quoted or not, or {@code *}) names this tag.
   */
  public boolean matches(String headerTag) {
    String t = headerTag.strip();
    if (t.equals("*")) {
      return true;
    }
    if (t.startsWith("W/")) {
      t = t.substring(2);
    }
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1);
    }
    return t.equals(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
