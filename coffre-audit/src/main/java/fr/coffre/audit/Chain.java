package fr.coffre.audit;

import static fr.coffre.audit.LineSyntax.integral;
import static fr.coffre.audit.LineSyntax.parseTime;
import static fr.coffre.audit.Source.finding;

import com.fasterxml.jackson.databind.JsonNode;
import fr.coffre.audit.Finding.Kind;
import fr.coffre.audit.LineReader.Line;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The chain's state machine, fed well-formed lines in order: each record must link to the one
 * before it, each checkpoint must be signed and commit to the records before it. Keeps the chain's
 * state and one location per record, never the lines; gaps in the record numbers are classified by
 * {@link LookAhead}.
 */
final class Chain {
  private final Source source;
  private final LineSyntax syntax;
  private final LookAhead ahead;
  private final Signatures signatures;

  /** The directory's name (the chain it should hold), or null for an export. */
  private final @Nullable String dirName;

  private final List<String> warnings;

  private @Nullable String chain;
  private @Nullable String exportedAt;
  // The chain's state: the last record (or the anchor when no record yet).
  private boolean started;
  private boolean anchoredOnly;
  private long anchorLoc;
  private long lastSeq;
  private String lastHash = AuditLines.ZERO_HASH;
  private long lastRecordLoc;
  private long records;
  private long firstSeq;
  private @Nullable Instant firstTime;
  private @Nullable Instant lastTime;
  private final LongList recordLocs = new LongList();
  private long checkpoints;
  private long coveredSeq = -1;
  private long lastCheckpointLoc = -1;
  private long finalLoc = -1;
  private byte @Nullable [] lastCheckpointBytes;

  Chain(
      Source source,
      LineSyntax syntax,
      LookAhead ahead,
      Signatures signatures,
      @Nullable String dirName,
      List<String> warnings) {
    this.source = source;
    this.syntax = syntax;
    this.ahead = ahead;
    this.signatures = signatures;
    this.dirName = dirName;
    this.warnings = warnings;
  }

  /** The chain's name, or null until a line names it. */
  @Nullable String name() {
    return chain;
  }

  long lastSeq() {
    return lastSeq;
  }

  /** The last record's number, or null when no record verified. */
  @Nullable Long lastRecord() {
    return records > 0 ? lastSeq : null;
  }

  long records() {
    return records;
  }

  long lastRecordLoc() {
    return lastRecordLoc;
  }

  /** Whether the chain so far is only an anchor checkpoint: no record verified yet. */
  boolean anchoredOnly() {
    return anchoredOnly;
  }

  long anchorLoc() {
    return anchorLoc;
  }

  /** The location of the export's final checkpoint, or -1 before it. */
  long finalLoc() {
    return finalLoc;
  }

  /** Takes the chain and the time from a well-formed export header, then checks its key. */
  @Nullable Finding header(Line l, JsonNode n) {
    chain = n.get("chain").asText();
    exportedAt = n.get("exportedAt").asText();
    return signatures.header(l, n.get("publicKey").asText());
  }

  // ---- records

  @Nullable Finding record(Line l, JsonNode n) throws IOException {
    byte[] b = l.bytes();
    Long claimed = integral(n.get("seq"));
    String name =
        claimed == null
            ? "the record at " + source.where(l)
            : "record " + claimed + " (" + source.where(l) + ")";
    String computed = AuditLines.computedHash(b);
    if (computed == null) {
      return finding(
          Kind.MODIFIED,
          l,
          claimed,
          name + " was modified: it does not end with its hash " + "(,\"hash\":\"<64 hex>\"})");
    }
    String stored = new String(b, b.length - 66, 64, StandardCharsets.US_ASCII);
    if (!computed.equals(stored)) {
      String hint =
          started && claimed != null && claimed != lastSeq + 1
              ? " (record " + (lastSeq + 1) + " was expected here: its seq may be what was changed)"
              : "";
      return finding(
          Kind.MODIFIED,
          l,
          claimed,
          name + " was modified: its content does not match its hash" + hint);
    }
    Finding f = syntax.recordFields(l, n, name, stored);
    if (f != null) {
      return f;
    }
    long seq = Objects.requireNonNull(claimed); // recordFields checked it
    if (!chain(l, n.get("chain").asText())) {
      return finding(
          Kind.WRONG_CHAIN,
          l,
          seq,
          name + " belongs to chain \"" + n.get("chain").asText() + "\", not \"" + chain + "\"");
    }
    String prev = n.get("prev").asText();
    if (!started) {
      if (seq != 1) {
        return ahead.recordGap(this, l, 1, seq, Kind.MISSING_START);
      }
      if (!prev.equals(AuditLines.ZERO_HASH)) {
        return finding(
            Kind.MODIFIED,
            l,
            seq,
            "the chain is broken at record 1 ("
                + source.where(l)
                + "): its prev "
                + "is not 64 zeros, so something was removed before it or it was rewritten");
      }
    } else if (seq == lastSeq + 1) {
      if (!prev.equals(lastHash)) {
        return anchoredOnly
            ? finding(
                Kind.MISSING_START,
                l,
                seq,
                "record "
                    + seq
                    + " ("
                    + source.where(l)
                    + ") does not link to "
                    + "the anchor checkpoint ("
                    + source.where(anchorLoc)
                    + "): its prev is not the hash the anchor "
                    + "signs for record "
                    + lastSeq
                    + ", so the start of the chain was replaced")
            : finding(
                Kind.MODIFIED,
                l,
                seq,
                "the chain is broken between record "
                    + lastSeq
                    + " ("
                    + source.where(lastRecordLoc)
                    + ") and record "
                    + seq
                    + " ("
                    + source.where(l)
                    + "): record "
                    + seq
                    + "'s prev is not record "
                    + lastSeq
                    + "'s hash, so one of them was rewritten with a recomputed "
                    + "hash, or record "
                    + seq
                    + " was replaced");
      }
    } else if (seq > lastSeq + 1) {
      return ahead.recordGap(
          this, l, lastSeq + 1, seq, anchoredOnly ? Kind.MISSING_START : Kind.DELETED);
    } else {
      return duplicate(l, seq);
    }
    accept(l, seq, stored, parseTime(n.get("time").asText()));
    return null;
  }

  /** Whether a line's chain is the one verified (the first line names it for a directory). */
  private boolean chain(Line l, String lineChain) {
    if (chain == null) {
      chain = lineChain;
      if (dirName != null && !dirName.equals(lineChain)) {
        warnings.add(
            "the lines belong to chain \""
                + lineChain
                + "\" but the directory is named \""
                + dirName
                + "\" (segments live in DATA/audit/<chain>/)");
      }
    }
    return chain.equals(lineChain);
  }

  private void accept(Line l, long seq, String hash, @Nullable Instant time) {
    if (records == 0) {
      firstSeq = seq;
      firstTime = time;
    }
    records++;
    lastSeq = seq;
    lastHash = hash;
    lastRecordLoc = l.location();
    lastTime = time;
    started = true;
    anchoredOnly = false;
    recordLocs.add(lastRecordLoc);
  }

  private Finding duplicate(Line l, long seq) {
    long first = records == 0 ? -1 : recordLocs.get(seq - firstSeq);
    if (records == 0 || seq < firstSeq) {
      return finding(
          Kind.INSERTED,
          l,
          seq,
          "record "
              + seq
              + " ("
              + source.where(l)
              + ") comes before the start "
              + "of the chain here: the anchor checkpoint ("
              + source.where(anchorLoc)
              + ") already covers records up "
              + "to "
              + (records == 0 ? lastSeq : firstSeq - 1));
    }
    return finding(
        Kind.INSERTED,
        l,
        seq,
        "record "
            + seq
            + " appears twice: at "
            + (first >= 0 ? source.where(first) : "an earlier line")
            + " and again at "
            + source.where(l)
            + ", after record "
            + lastSeq
            + ": one of them was inserted");
  }

  // ---- checkpoints

  @Nullable Finding checkpoint(Line l, JsonNode n) throws IOException {
    Long claimed = integral(n.get("seq"));
    String name =
        "the checkpoint at "
            + source.where(l)
            + (claimed == null ? "" : " (record " + claimed + ")");
    Finding f = syntax.checkpointFields(l, n, claimed, name);
    if (f != null) {
      return f;
    }
    long seq = Objects.requireNonNull(claimed); // checkpointFields checked it
    String hash = n.get("hash").asText();
    String time = n.get("time").asText();
    boolean last = n.get("final").asBoolean();
    String lineChain = n.get("chain").asText();
    if (!chain(l, lineChain)) {
      return finding(
          Kind.WRONG_CHAIN,
          l,
          seq,
          name + " belongs to chain \"" + lineChain + "\", not \"" + chain + "\"");
    }
    // An anchor repeats the checkpoint that closed the previous segment byte for byte: verified
    // already.
    if (!Arrays.equals(l.bytes(), lastCheckpointBytes)) {
      f = signatures.verify(l, n, lineChain, seq, hash, time, last, name);
      if (f != null) {
        return f;
      }
    }
    if (last && !source.export()) {
      return finding(
          Kind.BAD_CHECKPOINT,
          l,
          seq,
          name + " is marked final, but final checkpoints only close " + "exports, never segments");
    }
    if (last && !time.equals(exportedAt)) {
      // The final checkpoint is signed at the moment of the export: its signed time is the
      // header's.
      return finding(
          Kind.BAD_CHECKPOINT,
          l,
          seq,
          name
              + " was signed at "
              + time
              + " but the header says the export"
              + " was made at "
              + exportedAt);
    }
    if (seq == 0 && !hash.equals(AuditLines.ZERO_HASH)) {
      return finding(
          Kind.BAD_CHECKPOINT, l, seq, name + " covers no record but its hash is not 64 zeros");
    }
    f = covers(l, seq, hash, last, name);
    if (f != null) {
      return f;
    }
    checkpoints++;
    lastCheckpointBytes = l.bytes();
    coveredSeq = seq;
    lastCheckpointLoc = l.location();
    if (last) {
      finalLoc = l.location();
    }
    return null;
  }

  /** Whether a (signed) checkpoint commits to the records before it. */
  private @Nullable Finding covers(Line l, long seq, String hash, boolean last, String name)
      throws IOException {
    if (!started) {
      if (last && seq > 0) {
        return finding(
            Kind.TRUNCATED,
            l,
            null,
            "the export holds no record, but its final checkpoint ("
                + source.where(l)
                + ") covers "
                + seq
                + " records");
      }
      started = true;
      anchoredOnly = true;
      anchorLoc = l.location();
      lastSeq = seq;
      lastHash = hash;
      if (seq > 0) {
        warnings.add(
            "the chain starts after record "
                + seq
                + ": records 1 to "
                + seq
                + " are not here (expired "
                + "by retention, or removed); the anchor checkpoint at "
                + source.where(l)
                + " vouches for them");
      }
      return null;
    }
    if (seq == lastSeq) {
      if (hash.equals(lastHash)) {
        return null;
      }
      return finding(
          Kind.BAD_CHECKPOINT,
          l,
          seq,
          name
              + " signs hash "
              + hash
              + " for record "
              + seq
              + ", but "
              + (anchoredOnly
                  ? "the anchor checkpoint (" + source.where(anchorLoc) + ") signs " + lastHash
                  : "record " + seq + " (" + source.where(lastRecordLoc) + ") has hash " + lastHash)
              + ": the records it covers were rewritten, or the checkpoint comes from another copy of the chain");
    }
    if (seq < lastSeq) {
      return finding(
          Kind.BAD_CHECKPOINT,
          l,
          seq,
          name
              + " covers records up to "
              + seq
              + ", but records up to "
              + lastSeq
              + " ("
              + source.where(lastRecordLoc)
              + ") precede it: records were inserted before it, or the "
              + "checkpoint was moved or copied from earlier in the chain");
    }
    return ahead.checkpointGap(this, l, seq, name);
  }

  // ---- the end

  /**
   * Whether the export ended with its final checkpoint, {@code lastLine} being its last line (or
   * null).
   */
  @Nullable Finding endOfExport(@Nullable Line lastLine) {
    if (finalLoc >= 0) {
      return null;
    }
    if (lastLine == null || lastLine.number() == 1) {
      return finding(
          Kind.TRUNCATED,
          lastLine,
          null,
          "the export ends after its header (line 1): its lines and "
              + "its final checkpoint are missing");
    }
    String lastIs =
        lastCheckpointLoc == lastLine.location()
            ? "its last line ("
                + source.where(lastLine)
                + ") is a checkpoint, but not the final one"
            : "it does not end with its final checkpoint";
    return finding(
        Kind.TRUNCATED,
        lastLine,
        records > 0 ? lastSeq : null,
        "the export was truncated"
            + (records > 0
                ? " after record " + lastSeq + " (" + source.where(lastRecordLoc) + ")"
                : "")
            + ": "
            + lastIs);
  }

  /** At the end of a segment directory: warns about the records after the last checkpoint. */
  void warnUncovered() {
    long uncovered = records == 0 ? 0 : lastSeq - Math.max(coveredSeq, firstSeq - 1);
    if (uncovered > 0) {
      warnings.add(
          uncovered
              + (uncovered == 1 ? " record" : " records")
              + " not yet covered by a checkpoint ("
              + (uncovered == 1
                  ? "record " + lastSeq
                  : "records " + (lastSeq - uncovered + 1) + " to " + lastSeq)
              + "): nothing signed vouches for them yet");
    }
  }

  /** What verified before {@code problem} (null when none). */
  VerifyReport report(@Nullable Finding problem) {
    return new VerifyReport(
        problem == null,
        chain,
        records,
        checkpoints,
        records > 0 ? firstSeq : 0,
        records > 0 ? lastSeq : 0,
        firstTime,
        lastTime,
        signatures.fingerprint(),
        signatures.keyFromLines(),
        problem,
        warnings);
  }
}
