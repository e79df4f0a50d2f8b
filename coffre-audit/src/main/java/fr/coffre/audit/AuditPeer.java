package fr.coffre.audit;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Another node of a cluster, seen as the source of its part of a cluster export: it keeps its own
 * chains, signed by its own key, and hands over a chain's export on request.
 */
public interface AuditPeer {
  /** The node's name, as the cluster registered it. */
  String node();

  /**
   * Writes the node's own export of {@code chain} (docs/audit-format.md, format 1) to {@code out}.
   *
   * @throws IOException when the node cannot be reached or fails to answer; the message says why,
   *     and the export records it as the node's missing part
   */
  void export(String chain, OutputStream out) throws IOException;
}
