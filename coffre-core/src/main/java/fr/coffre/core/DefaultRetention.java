package fr.coffre.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A bucket's default Object Lock retention: every new version gets it unless the write names its
 * own. Exactly one of {@code days} and {@code years} is positive.
 */
public record DefaultRetention(RetentionMode mode, int days, int years) {
  public DefaultRetention {
    Objects.requireNonNull(mode, "mode");
    if ((days > 0) == (years > 0) || days < 0 || years < 0) {
      throw new InvalidArgumentException(
          "Default retention period must be a positive number of Days or of Years, not both");
    }
  }

  /** The retention a version written at {@code now} gets. */
  public LockState lockFrom(Instant now) {
    Instant until =
        days > 0
            ? now.plusSeconds(86_400L * days)
            : now.atZone(ZoneOffset.UTC).plusYears(years).toInstant();
    return new LockState(mode, until, false);
  }

  /** The form kept in the bucket's settings: {@code MODE days years}. */
  public String text() {
    return mode.name() + " " + days + " " + years;
  }

  public static DefaultRetention parse(String text) {
    String[] p = text.trim().split(" ");
    return new DefaultRetention(
        RetentionMode.valueOf(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
  }
}
