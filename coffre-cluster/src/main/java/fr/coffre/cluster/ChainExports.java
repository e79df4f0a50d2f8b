package fr.coffre.cluster;

import java.io.IOException;
import java.io.OutputStream;

/**
 * This node's own audit chains, as the internal API serves them to a peer that makes a cluster
 * export: the export of one chain (docs/audit-format.md, format 1), signed with this node's key.
 */
@FunctionalInterface
public interface ChainExports {
  /** Writes this node's export of {@code chain} (a valid chain name) to {@code out}. */
  void export(String chain, OutputStream out) throws IOException;
}
