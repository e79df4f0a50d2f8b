package fr.coffre.policy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/**
 * The date forms Date* conditions accept, on either side: epoch seconds ({@code 1735689600}), an
 * ISO-8601 date ({@code 2025-01-01}, midnight UTC) or date-time, with an offset or 'Z', or without
 * one (then UTC). All become epoch milliseconds.
 */
final class Dates {
  private Dates() {}

  /** Epoch milliseconds, or {@link Long#MIN_VALUE} when {@code s} is not a date. */
  static long parse(String s) {
    if (s.isEmpty()) {
      return Long.MIN_VALUE;
    }
    if (isInteger(s)) {
      try {
        return Math.multiplyExact(Long.parseLong(s), 1000L);
      } catch (ArithmeticException | NumberFormatException e) {
        return Long.MIN_VALUE;
      }
    }
    try {
      if (s.indexOf('T') < 0 && s.indexOf('t') < 0) {
        return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
      }
      TemporalAccessor t =
          DateTimeFormatter.ISO_DATE_TIME.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
      if (t instanceof OffsetDateTime o) {
        return o.toInstant().toEpochMilli();
      }
      return ((LocalDateTime) t).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      return Long.MIN_VALUE;
    }
  }

  private static boolean isInteger(String s) {
    int start = s.charAt(0) == '-' ? 1 : 0;
    if (start == s.length()) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
