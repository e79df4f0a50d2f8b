package fr.coffre.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The internal API's audit route on the wire: a peer's chain export read by a signed call, refused
 * (and reported for the audit) without the cluster secret, and a peer that is down named.
 */
class RemoteAuditTrailTest {
  @TempDir Path dir;
  private Peer peer;
  private HttpClient http;
  private final List<String> asked = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    peer = new Peer(dir);
    peer.blobs.servingAudit(
        (chain, out) -> {
          asked.add(chain);
          out.write(("{\"type\":\"export\",\"chain\":\"" + chain + "\"}\n").getBytes());
        });
    http = ClusterHttp.client();
  }

  @AfterEach
  void stop() throws Exception {
    http.shutdownNow();
    peer.close();
  }

  private RemoteAuditTrail trail(byte[] secret) {
    return new RemoteAuditTrail(
        "node-b", peer::base, "node-a", new ClusterAuth(secret), http, Duration.ofSeconds(5));
  }

  @Test
  void export_signedWithTheClusterSecret_streamsThePeersChain() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    trail(Peer.SECRET).export("acme", out);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":\"export\",\"chain\":\"acme\"}\n");
    assertThat(asked).containsExactly("acme");
    assertThat(peer.refusals).isEmpty();
  }

  @Test
  void export_withAnotherSecret_isRefusedAndReported() {
    assertThatThrownBy(
            () ->
                trail("another-secret-of-at-least-32-bytes!!".getBytes())
                    .export("acme", new ByteArrayOutputStream()))
        .hasMessageContaining("answered 401")
        .hasMessageContaining("node-b");
    assertThat(asked).isEmpty();
    assertThat(peer.refusals).hasSize(1);
    assertThat(peer.refusals.get(0).path()).isEqualTo("/internal/v1/audit/acme");
  }

  @Test
  void unsignedCall_isRefusedAndReported() throws Exception {
    var r =
        http.send(
            HttpRequest.newBuilder(peer.base().resolve("/internal/v1/audit/acme")).GET().build(),
            BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(asked).isEmpty();
    assertThat(peer.refusals).hasSize(1);
  }

  @Test
  void badChainName_isRefused() {
    assertThatThrownBy(() -> trail(Peer.SECRET).export("../etc", new ByteArrayOutputStream()))
        .hasMessageContaining("answered 400");
    assertThat(asked).isEmpty();
  }

  @Test
  void peerDown_saysSo() {
    RemoteAuditTrail down =
        new RemoteAuditTrail(
            "node-c",
            () -> null,
            "node-a",
            new ClusterAuth(Peer.SECRET),
            http,
            Duration.ofSeconds(5));
    assertThatThrownBy(() -> down.export("acme", new ByteArrayOutputStream()))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("node node-c is down");
  }

  @Test
  void peerStopped_isUnreachable() throws Exception {
    URI gone = peer.base();
    peer.close();
    RemoteAuditTrail trail =
        new RemoteAuditTrail(
            "node-b",
            () -> gone,
            "node-a",
            new ClusterAuth(Peer.SECRET),
            http,
            Duration.ofSeconds(5));
    assertThatThrownBy(() -> trail.export("acme", new ByteArrayOutputStream()))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("node-b")
        .hasMessageNotContaining("null");
  }
}
