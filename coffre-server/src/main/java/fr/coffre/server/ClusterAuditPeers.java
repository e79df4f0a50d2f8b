package fr.coffre.server;

import fr.coffre.audit.AuditPeer;
import fr.coffre.cluster.ClusterAuth;
import fr.coffre.cluster.RemoteAuditTrail;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.util.List;
import java.util.function.Supplier;

/**
 * The other nodes of a cluster as sources of their parts of a cluster audit export: every node
 * registered in the shared metadata but this one, each read through its internal API. A node that
 * is registered but down is still listed, so the export names it as missing instead of leaving it
 * out; only {@code coffre admin nodes remove} takes a node out of the exports.
 */
final class ClusterAuditPeers implements Supplier<List<AuditPeer>> {
  private final ClusterNode node;
  private final ClusterAuth auth;
  private final HttpClient http;

  ClusterAuditPeers(ClusterNode node, ClusterAuth auth, HttpClient http) {
    this.node = node;
    this.auth = auth;
    this.http = http;
  }

  @Override
  public List<AuditPeer> get() {
    return node.registeredNodes().stream()
        .filter(name -> !name.equals(node.name()))
        .<AuditPeer>map(
            name ->
                new Peer(
                    new RemoteAuditTrail(
                        name, () -> node.addressOf(name), node.name(), auth, http)))
        .toList();
  }

  private record Peer(RemoteAuditTrail trail) implements AuditPeer {
    @Override
    public String node() {
      return trail.node();
    }

    @Override
    public void export(String chain, OutputStream out) throws IOException {
      trail.export(chain, out);
    }
  }
}
