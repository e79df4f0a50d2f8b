package fr.coffre.audit;

import static fr.coffre.audit.LineSyntax.integral;
import static fr.coffre.audit.Source.finding;
import static fr.coffre.audit.Source.missing;

import com.fasterxml.jackson.databind.JsonNode;
import fr.coffre.audit.Finding.Kind;
import fr.coffre.audit.LineReader.Line;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Classifies a gap in the record numbers by reading the lines after it: the record that came may be
 * a copy of a later one (inserted) or come too early (reordered), else records are missing
 * (deleted, truncated, or the chain's start). Reading ahead consumes the lines: the verification
 * ends with the finding returned.
 */
final class LookAhead {
  /** What a scan of the lines after a problem found, to classify it. */
  private record Ahead(long equalLoc, long inRangeLoc, long inRangeSeq, long aboveLoc) {}

  private final LineReader lines;
  private final LineSyntax syntax;
  private final Source source;

  LookAhead(LineReader lines, LineSyntax syntax, Source source) {
    this.lines = lines;
    this.syntax = syntax;
    this.source = source;
  }

  /**
   * Record {@code got} came where {@code expected} should: missing, reordered, or an inserted copy.
   */
  Finding recordGap(Chain c, Line l, long expected, long got, Kind missing) throws IOException {
    Ahead a = scan(c.name(), expected, got - 1, got, true);
    if (a.equalLoc() >= 0) {
      return finding(
          Kind.INSERTED,
          l,
          got,
          "record "
              + got
              + " appears twice: at "
              + source.where(l)
              + ", where record "
              + expected
              + " was expected, and again at "
              + source.where(a.equalLoc())
              + ": one of them was inserted");
    }
    if (a.inRangeLoc() >= 0) {
      return finding(
          Kind.REORDERED,
          l,
          got,
          "records are out of order: record "
              + got
              + " ("
              + source.where(l)
              + ") comes before record "
              + a.inRangeSeq()
              + " ("
              + source.where(a.inRangeLoc())
              + ")");
    }
    if (missing == Kind.DELETED) {
      return finding(
          Kind.DELETED,
          l,
          expected,
          missing(expected, got - 1)
              + ": record "
              + got
              + " ("
              + source.where(l)
              + ") follows record "
              + c.lastSeq()
              + " ("
              + source.where(c.lastRecordLoc())
              + ")");
    }
    if (c.anchoredOnly()) {
      return finding(
          Kind.MISSING_START,
          l,
          expected,
          "the chain starts at record "
              + got
              + " ("
              + source.where(l)
              + "), but the anchor checkpoint before it ("
              + source.where(c.anchorLoc())
              + ") is for record "
              + c.lastSeq()
              + ": "
              + missing(expected, got - 1));
    }
    return finding(
        Kind.MISSING_START,
        l,
        expected,
        "the chain starts at record "
            + got
            + " ("
            + source.where(l)
            + "): "
            + missing(1, got - 1)
            + ", and no signed anchor checkpoint for record "
            + (got - 1)
            + " precedes it");
  }

  /**
   * Checkpoint {@code l}, {@code name} in messages, covers records up to {@code seq}, past the last
   * one read: they come after it (reordered), or are missing (deleted, or truncated at the end).
   */
  Finding checkpointGap(Chain c, Line l, long seq, String name) throws IOException {
    long lastSeq = c.lastSeq();
    Ahead a = scan(c.name(), lastSeq + 1, seq, -1, false);
    String after =
        c.records() > 0
            ? "record " + lastSeq + " (" + source.where(c.lastRecordLoc()) + ")"
            : "the anchor checkpoint for record "
                + lastSeq
                + " ("
                + source.where(c.anchorLoc())
                + ")";
    if (a.inRangeLoc() >= 0) {
      return finding(
          Kind.REORDERED,
          l,
          a.inRangeSeq(),
          "records are out of order: "
              + name
              + " covers records up "
              + "to "
              + seq
              + ", but record "
              + a.inRangeSeq()
              + " comes after it ("
              + source.where(a.inRangeLoc())
              + ")");
    }
    if (a.aboveLoc() >= 0) {
      return finding(
          Kind.DELETED,
          l,
          lastSeq + 1,
          missing(lastSeq + 1, seq)
              + ": "
              + name
              + " covers records up to "
              + seq
              + ", but the last record before it is "
              + after);
    }
    return finding(
        Kind.TRUNCATED,
        l,
        c.lastRecord(),
        "the chain was truncated after "
            + after
            + ": "
            + name
            + " covers records up to "
            + seq
            + ", and "
            + missing(lastSeq + 1, seq));
  }

  /**
   * Reads the remaining lines for records of {@code chain}: the first with seq {@code equal}, the
   * first with seq in {@code [from, to]}, the first above {@code to}. Stops at the first {@code
   * equal} (if {@code stopAtEqual}) or, otherwise, at the first in range.
   */
  private Ahead scan(@Nullable String chain, long from, long to, long equal, boolean stopAtEqual)
      throws IOException {
    long equalLoc = -1;
    long inRangeLoc = -1;
    long inRangeSeq = -1;
    long aboveLoc = -1;
    Line l;
    while ((l = lines.next()) != null) {
      if (!l.terminated() || l.tooLong() || l.bytes().length == 0 || !syntax.utf8(l.bytes())) {
        continue;
      }
      JsonNode n;
      try {
        n = LineSyntax.JSON.readTree(l.bytes());
      } catch (IOException e) {
        continue;
      }
      Long seq = n == null ? null : integral(n.get("seq"));
      if (seq == null
          || !"record".equals(n.path("type").asText())
          || !n.path("chain").asText().equals(chain)) {
        continue;
      }
      if (seq == equal && equalLoc < 0) {
        equalLoc = l.location();
        if (stopAtEqual) {
          break;
        }
      }
      if (seq >= from && seq <= to && inRangeLoc < 0) {
        inRangeLoc = l.location();
        inRangeSeq = seq;
        if (!stopAtEqual) {
          break;
        }
      }
      if (seq > to && aboveLoc < 0) {
        aboveLoc = l.location();
      }
    }
    return new Ahead(equalLoc, inRangeLoc, inRangeSeq, aboveLoc);
  }
}
