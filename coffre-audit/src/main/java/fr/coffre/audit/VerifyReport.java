package fr.coffre.audit;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link AuditVerifier} found. When {@code ok} is false, the counts and bounds describe what
 * verified before {@code problem}.
 *
 * @param ok true when the chain verified: no problem (warnings may remain)
 * @param chain the chain verified (from the export header, or from the segments' lines), or null
 *     when it could not be read
 * @param records how many records verified
 * @param checkpoints how many checkpoints (anchors and the final one included) verified
 * @param firstSeq the first verified record's number, 0 when none
 * @param lastSeq the last verified record's number, 0 when none
 * @param firstTime the first verified record's time, or null
 * @param lastTime the last verified record's time, or null
 * @param keyFingerprint lowercase hex SHA-256 of the signing key's SubjectPublicKeyInfo bytes, or
 *     null when no key was given nor found
 * @param keyFromExport true when no trusted key was given: signatures were checked against the key
 *     the export (or the first checkpoint) carries, to be compared with the server's published key
 * @param problem the first problem found, or null when {@code ok}
 * @param warnings what did not fail verification but deserves a look, in the order found
 */
public record VerifyReport(
    boolean ok,
    @Nullable String chain,
    long records,
    long checkpoints,
    long firstSeq,
    long lastSeq,
    @Nullable Instant firstTime,
    @Nullable Instant lastTime,
    @Nullable String keyFingerprint,
    boolean keyFromExport,
    @Nullable Finding problem,
    List<String> warnings) {

  /** Checks that {@code ok} and {@code problem} agree, and copies the warnings. */
  public VerifyReport {
    if (ok == (problem != null)) {
      throw new IllegalArgumentException("ok must be true exactly when there is no problem");
    }
    warnings = List.copyOf(warnings);
  }

  /**
   * A human, multi-line summary (no trailing newline), as {@code coffre audit verify} prints it.
   */
  public String describe() {
    StringBuilder s = new StringBuilder();
    s.append("Audit chain ").append(chain == null ? "(unknown)" : '"' + chain + '"').append(": ");
    s.append(ok ? "OK" : "FAILED");
    if (problem != null) {
      s.append("\n  problem: ").append(problem.summary());
    }
    s.append('\n').append(ok ? "  verified: " : "  verified before the problem: ");
    if (records == 0) {
      s.append("no records");
    } else {
      s.append(records).append(records == 1 ? " record" : " records");
      s.append(" (")
          .append(firstSeq == lastSeq ? "#" + firstSeq : "#" + firstSeq + " to #" + lastSeq);
      if (firstTime != null && lastTime != null) {
        s.append(", ").append(firstTime).append(" to ").append(lastTime);
      }
      s.append(')');
    }
    s.append(", ")
        .append(checkpoints)
        .append(checkpoints == 1 ? " signed checkpoint" : " signed checkpoints");
    s.append("\n  signing key: ");
    if (keyFingerprint == null) {
      s.append("none (nothing was signed)");
    } else {
      s.append("SHA-256 ").append(keyFingerprint);
      s.append(
          keyFromExport
              ? " (read from the audit lines, not a trusted key)"
              : " (the trusted key given)");
    }
    for (String w : warnings) {
      s.append("\n  warning: ").append(w);
    }
    return s.toString();
  }
}
