package fr.coffre.s3.handlers;

import fr.coffre.service.ByteRange;

/** Parses the HTTP Range header as S3 does: one range of bytes, anything else ignored. */
final class Ranges {
  private Ranges() {}

  /**
   * The single byte range the header asks for, or null when there is none or the header cannot be
   * honoured as one range (then the whole object is sent, as HTTP allows).
   */
  static ByteRange parse(String header) {
    if (header == null) {
      return null;
    }
    String h = header.strip();
    if (!h.startsWith("bytes=")) {
      return null;
    }
    String spec = h.substring("bytes=".length()).strip();
    if (spec.contains(",")) {
      return null;
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String a = spec.substring(0, dash).strip();
      String b = spec.substring(dash + 1).strip();
      if (a.isEmpty()) {
        return b.isEmpty() ? null : ByteRange.suffix(Long.parseLong(b));
      }
      long first = Long.parseLong(a);
      long last = b.isEmpty() ? -1 : Long.parseLong(b);
      if (first < 0 || (last >= 0 && last < first)) {
        return null;
      }
      return new ByteRange(first, last);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
