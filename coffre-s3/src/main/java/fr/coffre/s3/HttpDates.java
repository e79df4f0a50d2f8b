package fr.coffre.s3;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.eclipse.jetty.http.DateGenerator;

/** Date formats of the S3 wire: RFC 1123 in headers, ISO-8601 with milliseconds in XML. */
public final class HttpDates {
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private HttpDates() {}

  /** An IMF-fixdate, by Jetty's generator (a tenth of the cost of a {@link DateTimeFormatter}). */
  public static String header(Instant t) {
    return DateGenerator.formatDate(t.truncatedTo(ChronoUnit.SECONDS));
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
