package fr.coffre.audit;

import static fr.coffre.audit.LineSyntax.seqOf;
import static fr.coffre.audit.Source.finding;
import static fr.coffre.audit.Source.malformed;

import com.fasterxml.jackson.databind.JsonNode;
import fr.coffre.audit.Finding.Kind;
import fr.coffre.audit.LineReader.Line;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One verification: reads the lines in order (an export's header first), hands each well-formed
 * record or checkpoint to the {@link Chain}, and checks how the export or the segments end. Deals
 * with what belongs to the files: incomplete lines, empty segments, segment names.
 */
final class Verification {
  private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.jsonl");

  private final LineReader lines;
  private final Source source;
  private final LineSyntax syntax;

  /** Segment file names (directory mode); empty for an export. */
  private final List<String> segments;

  private final @Nullable String dirPath;
  private final boolean export;
  private final List<String> warnings = new ArrayList<>();
  private final Chain chain;
  private @Nullable Line lastLine;
  private int segment = -1;
  private boolean segmentNameChecked;

  Verification(
      LineReader lines,
      List<SigningKey> trusted,
      @Nullable List<String> segments,
      @Nullable String dirName,
      @Nullable String dirPath) {
    this.lines = lines;
    this.source = new Source(segments);
    this.syntax = new LineSyntax(source);
    this.segments = segments == null ? List.of() : segments;
    this.dirPath = dirPath;
    this.export = segments == null;
    this.chain =
        new Chain(
            source,
            syntax,
            new LookAhead(lines, syntax, source),
            new Signatures(source, trusted, warnings),
            dirName,
            warnings);
  }

  VerifyReport verify() throws IOException {
    Finding problem = export ? header(lines.next()) : null;
    Line line;
    while (problem == null && (line = lines.next()) != null) {
      problem = line(line);
      lastLine = line;
    }
    if (problem == null) {
      problem = end();
    }
    return chain.report(problem);
  }

  // ---- the export header

  private @Nullable Finding header(@Nullable Line l) {
    if (l == null) {
      return new Finding(
          Kind.TRUNCATED, 0, null, "the export is empty: not even its header line is there");
    }
    lastLine = l;
    if (!l.terminated()) {
      return finding(
          Kind.TRUNCATED, l, null, "the export ends in the middle of its header (line 1)");
    }
    Object parsed = syntax.parse(l);
    if (parsed instanceof Finding f) {
      return f;
    }
    JsonNode n = (JsonNode) parsed;
    Finding f = syntax.header(l, n);
    if (f != null) {
      return f;
    }
    return chain.header(l, n);
  }

  // ---- one line

  private @Nullable Finding line(Line l) throws IOException {
    if (l.segment() != segment) {
      newSegment(l.segment());
    }
    if (chain.finalLoc() >= 0) {
      return finding(
          Kind.INSERTED,
          l,
          seqOf(l.bytes()),
          source.where(l)
              + " comes after the export's final "
              + "checkpoint ("
              + source.where(chain.finalLoc())
              + "): nothing may follow it");
    }
    if (!l.terminated()) {
      Long last = chain.lastRecord();
      if (export) {
        return finding(
            Kind.TRUNCATED,
            l,
            last,
            "the export ends in the middle of "
                + source.where(l)
                + " (no final newline): it was cut"
                + (last != null ? " after record " + last : ""));
      }
      if (l.segment() == segments.size() - 1) {
        warnings.add(
            "the last line of "
                + segments.get(l.segment())
                + " (line "
                + l.number()
                + ") is incomplete (still being written, or cut): it was not verified");
        return null;
      }
      return finding(
          Kind.TRUNCATED,
          l,
          last,
          "segment "
              + segments.get(l.segment())
              + " ends in the middle of line "
              + l.number()
              + " (no final newline), and other segments follow it");
    }
    if (l.tooLong()) {
      return malformed(
          l, null, source.where(l) + " is longer than " + (LineReader.MAX_LINE >> 20) + " MiB");
    }
    Object parsed = syntax.parse(l);
    if (parsed instanceof Finding f) {
      return f;
    }
    JsonNode n = (JsonNode) parsed;
    String type = n.path("type").isTextual() ? n.get("type").asText() : null;
    if (!export
        && l.number() == 1
        && l.segment() > 0
        && lastLine != null
        && !"checkpoint".equals(type)) {
      warnings.add(
          "segment " + segments.get(l.segment()) + " does not begin with an anchor checkpoint");
    }
    if ("record".equals(type)) {
      return record(l, n);
    }
    if ("checkpoint".equals(type)) {
      return chain.checkpoint(l, n);
    }
    if ("export".equals(type)) {
      return malformed(
          l,
          null,
          source.where(l) + " is an export header: only the first line of an export may be one");
    }
    return malformed(
        l,
        seqOf(l.bytes()),
        source.where(l)
            + " has "
            + (type == null ? "no type" : "an unknown type \"" + type + "\"")
            + " (record or checkpoint expected)");
  }

  /** A record, then, for the first one of a segment, whether the segment is named after it. */
  private @Nullable Finding record(Line l, JsonNode n) throws IOException {
    Finding f = chain.record(l, n);
    if (f == null && !export && !segmentNameChecked) {
      segmentNameChecked = true;
      long seq = chain.lastSeq();
      Matcher m = SEGMENT_NAME.matcher(segments.get(l.segment()));
      // Twenty digits may be more than a long holds.
      BigInteger named = m.matches() ? new BigInteger(m.group(1)) : null;
      if (named != null && !named.equals(BigInteger.valueOf(seq))) {
        warnings.add(
            "segment "
                + segments.get(l.segment())
                + " is named after record "
                + named
                + " but its first record is "
                + seq);
      }
    }
    return f;
  }

  private void newSegment(int next) {
    for (int s = segment + 1; s < next; s++) {
      warnings.add("segment " + segments.get(s) + " is empty");
    }
    segment = next;
    segmentNameChecked = false;
  }

  // ---- the end

  private @Nullable Finding end() {
    if (export) {
      return chain.endOfExport(lastLine);
    }
    if (segments.isEmpty()) {
      return new Finding(Kind.TRUNCATED, 0, null, "no segment (*.jsonl) in " + dirPath);
    }
    newSegment(segments.size());
    if (lastLine == null) {
      warnings.add("the segments hold no line");
    }
    chain.warnUncovered();
    return null;
  }
}
