package fr.coffre.audit;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The first problem {@link AuditVerifier} found in an audit chain, classified as the table of
 * docs/audit-format.md ("What verification checks") says.
 *
 * @param kind what kind of tampering (or damage) the problem shows
 * @param line the 1-based line number where it was found, in the export, or in the segment file
 *     that the message names; 0 when it concerns no line (an empty export or directory)
 * @param seq the record number concerned, or null when no record can be named
 * @param message a precise, human explanation naming the record(s) and line(s) concerned
 */
public record Finding(Kind kind, long line, @Nullable Long seq, String message) {

  /** The kinds of problem, from the format's table. */
  public enum Kind {
    /**
     * A line is not a well-formed line of the format (not UTF-8 JSON, a field missing or mistyped).
     */
    MALFORMED,
    /**
     * A record's bytes do not hash to its {@code hash}, or the hash link to the previous record is
     * broken.
     */
    MODIFIED,
    /** Records are missing: a {@code seq} is skipped. */
    DELETED,
    /**
     * A record appears twice, or a line comes where none may be (after an export's final
     * checkpoint).
     */
    INSERTED,
    /** A record appears before a record with a smaller {@code seq}. */
    REORDERED,
    /**
     * The end of the chain is missing: no final checkpoint, or a checkpoint covers records that are
     * not there.
     */
    TRUNCATED,
    /**
     * A checkpoint's signature does not verify under the trusted key, or it does not commit to the
     * records before it.
     */
    BAD_CHECKPOINT,
    /**
     * The chain does not start at record 1 and has no signed anchor checkpoint for its first
     * record.
     */
    MISSING_START,
    /** A line belongs to another chain than the one being verified. */
    WRONG_CHAIN
  }

  /** Checks the fields. */
  public Finding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    if (line < 0) {
      throw new IllegalArgumentException("line < 0: " + line);
    }
  }

  /** One line for a human: kind, where, and the message. */
  public String summary() {
    return kind
        + (line > 0 ? " at line " + line : "")
        + (seq != null ? " (record " + seq + ")" : "")
        + ": "
        + message;
  }
}
