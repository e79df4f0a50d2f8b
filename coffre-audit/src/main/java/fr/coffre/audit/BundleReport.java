package fr.coffre.audit;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link AuditVerifier} found in a cluster export (a bundle of every node's part): a report
 * per node, and the bundle's own problems (a part dropped, added or replaced, a closing line that
 * does not verify).
 *
 * @param ok true when every part present verified under its node's key and the bundle's signed
 *     closing line agrees with them; a bundle may be ok and still incomplete
 * @param complete true when every node of the cluster gave its part
 * @param chain the chain exported, or null when the header could not be read
 * @param node the node that made the export, or null when the header could not be read
 * @param parts one entry per part, in the bundle's order
 * @param problem the first problem of the bundle itself, or null
 * @param warnings what did not fail verification but deserves a look
 */
public record BundleReport(
    boolean ok,
    boolean complete,
    @Nullable String chain,
    @Nullable String node,
    List<Part> parts,
    @Nullable String problem,
    List<String> warnings) {

  /**
   * One node's part.
   *
   * @param node the node's name
   * @param line the bundle's line that opens the part (the part's own line numbers, in its report,
   *     count from the line after it)
   * @param report the part's verification, or null when the part is missing
   * @param missing why the node's records are not there ("unreachable: ..."), or null
   */
  public record Part(
      String node, long line, @Nullable VerifyReport report, @Nullable String missing) {}

  /** Copies the lists. */
  public BundleReport {
    parts = List.copyOf(parts);
    warnings = List.copyOf(warnings);
  }

  /** The nodes whose part failed verification. */
  public List<String> failedNodes() {
    return parts.stream()
        .filter(p -> p.report() != null && !p.report().ok())
        .map(Part::node)
        .toList();
  }

  /**
   * A human, multi-line summary (no trailing newline), as {@code coffre audit verify} prints it.
   */
  public String describe() {
    StringBuilder s = new StringBuilder();
    s.append("Cluster audit export of chain ")
        .append(chain == null ? "(unknown)" : '"' + chain + '"')
        .append(node == null ? "" : " made on node " + node)
        .append(": ")
        .append(!ok ? "FAILED" : complete ? "OK" : "INCOMPLETE");
    if (problem != null) {
      s.append("\n  problem: ").append(problem);
    }
    for (Part p : parts) {
      s.append("\n  node ").append(p.node()).append(": ");
      if (p.missing() != null) {
        s.append("MISSING (incomplete: node ")
            .append(p.node())
            .append(' ')
            .append(p.missing())
            .append(')');
        continue;
      }
      VerifyReport r = p.report();
      if (r == null) {
        continue;
      }
      s.append(r.ok() ? "OK" : "FAILED")
          .append(" (part from line ")
          .append(p.line() + 1)
          .append(" of the file; line numbers below count from there)");
      for (String line : r.describe().lines().skip(1).toList()) {
        s.append("\n  ").append(line);
      }
    }
    for (String w : warnings) {
      s.append("\n  warning: ").append(w);
    }
    return s.toString();
  }
}
