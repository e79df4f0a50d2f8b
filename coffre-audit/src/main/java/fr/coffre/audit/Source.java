package fr.coffre.audit;

import fr.coffre.audit.Finding.Kind;
import fr.coffre.audit.LineReader.Line;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one verification reads, an export or a chain's segment files, and how messages name its
 * places: "line N" in an export, "line N of SEGMENT" in a directory. Builds the findings, too.
 */
final class Source {
  /** Segment file names (directory mode), or null for an export. */
  private final @Nullable List<String> segments;

  Source(@Nullable List<String> segments) {
    this.segments = segments;
  }

  boolean export() {
    return segments == null;
  }

  /** A line's place, from its {@link Line#location() location}. */
  String where(long loc) {
    long number = loc & ((1L << 40) - 1);
    if (segments == null) { // an export
      return "line " + number;
    }
    return "line " + number + " of " + segments.get((int) (loc >>> 40));
  }

  String where(Line l) {
    return where(l.location());
  }

  static String missing(long from, long to) {
    return from == to
        ? "record " + from + " is missing"
        : "records " + from + " to " + to + " are missing";
  }

  /** A finding at line {@code l}; at no line when it is null. */
  static Finding finding(Kind kind, @Nullable Line l, @Nullable Long seq, String message) {
    return new Finding(kind, l == null ? 0 : l.number(), seq, message);
  }

  static Finding malformed(@Nullable Line l, @Nullable Long seq, String message) {
    return finding(Kind.MALFORMED, l, seq, message);
  }
}
