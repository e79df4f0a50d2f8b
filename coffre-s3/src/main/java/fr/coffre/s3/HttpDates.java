package fr.coffre.s3;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Date formats of the S3 wire: RFC 1123 in headers, ISO-8601 with milliseconds in XML. */
public final class HttpDates {
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * RFC 9110's IMF-fixdate: a two-digit day, always ({@code RFC_1123_DATE_TIME} writes "5 Dec",
   * which strict parsers reject).
   */
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private HttpDates() {}

  public static String header(Instant t) {
    return IMF_FIXDATE.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  public static String xml(Instant t) {
    return ISO.format(t);
  }

  /** Parses an HTTP date header; null when absent or unparseable (such headers are ignored). */
  public static Instant parseHeader(String value) {
    if (value == null) {
      return null;
    }
    try {
      return DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.strip(), Instant::from);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
