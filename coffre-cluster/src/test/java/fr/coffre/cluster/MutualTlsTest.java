package fr.coffre.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BlobId;
import fr.coffre.storage.BlobWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The internal API over mutual TLS, as nodes run it: a peer's listener requires a client
 * certificate from the cluster CA, the caller trusts only that CA and checks that the peer's
 * certificate names the address it called. Whoever fails the handshake is served nothing, and the
 * peer's refusal callback hears of it; the HMAC signature is still required inside the tunnel.
 */
class MutualTlsTest {
  @TempDir Path dir;
  private @Nullable Peer peer;
  private final List<HttpClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (HttpClient c : clients) {
      c.shutdownNow();
    }
    if (peer != null) {
      peer.close();
    }
  }

  private Peer peer(String certificate) throws Exception {
    Peer p = new Peer(dir.resolve("peer"), TestPki.server(certificate, "ca"));
    peer = p;
    return p;
  }

  private RemoteBlobStore remote(Peer p, SSLContext tls) {
    HttpClient http = ClusterHttp.client(tls);
    clients.add(http);
    URI base = p.base();
    return new RemoteBlobStore(
        Peer.VOLUME,
        () -> base,
        "node-a",
        new ClusterAuth(Peer.SECRET),
        http,
        Duration.ofSeconds(5));
  }

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  private static BlobId write(RemoteBlobStore store, byte[] content) throws IOException {
    BlobId id = BlobId.random();
    try (BlobWriter w = store.create(id)) {
      w.write(ByteBuffer.wrap(content));
      w.commit();
    }
    return id;
  }

  private static long blobsOn(Peer p) throws IOException {
    long[] n = {0};
    p.volume.forEach(id -> n[0]++);
    return n[0] + p.temporaries();
  }

  @Test
  void remoteStore_withTheClustersCertificates_writesAndReadsOverHttps() throws Exception {
    Peer p = peer("node-b");
    RemoteBlobStore store = remote(p, TestPki.client("node-a", "ca"));
    byte[] content = random(300_000);

    BlobId id = write(store, content);

    assertThat(p.base().getScheme()).isEqualTo("https");
    assertThat(p.volume.exists(id)).isTrue();
    ByteBuffer back = ByteBuffer.allocate(content.length);
    try (SeekableByteChannel c = store.open(id)) {
      while (back.hasRemaining() && c.read(back) >= 0) {}
    }
    assertThat(back.array()).isEqualTo(content);
    assertThat(p.refusals).isEmpty();
  }

  @Test
  void caller_withoutClientCertificate_failsTheHandshake_isServedNothing_andIsRefused()
      throws Exception {
    Peer p = peer("node-b");
    RemoteBlobStore store = remote(p, TestPki.client(null, "ca"));

    assertThatThrownBy(() -> write(store, random(1000))).isInstanceOf(IOException.class);

    assertThat(blobsOn(p)).isZero();
    assertThat(Await.until(() -> !p.refusals.isEmpty(), Duration.ofSeconds(5))).isTrue();
    assertThat(p.refusals)
        .allSatisfy(
            r -> {
              assertThat(r.method()).isEqualTo("TLS");
              assertThat(r.remoteAddress()).isEqualTo("127.0.0.1");
              assertThat(r.reason()).startsWith("TLS handshake failed");
            });
  }

  @Test
  void caller_withCertificateFromAnotherCa_failsTheHandshake_andIsRefused() throws Exception {
    Peer p = peer("node-b");
    RemoteBlobStore store = remote(p, TestPki.client("intruder", "ca"));

    assertThatThrownBy(() -> store.exists(BlobId.random())).isInstanceOf(IOException.class);

    assertThat(Await.until(() -> !p.refusals.isEmpty(), Duration.ofSeconds(5))).isTrue();
    assertThat(p.refusals).extracting(Refusal::method).containsOnly("TLS");
  }

  @Test
  void peer_withCertificateFromAnotherCa_isNotTrustedByTheCaller() throws Exception {
    Peer p = new Peer(dir.resolve("peer"), TestPki.server("intruder", "ca"));
    peer = p;
    RemoteBlobStore store = remote(p, TestPki.client("node-a", "ca"));

    assertThatThrownBy(() -> write(store, random(1000))).isInstanceOf(IOException.class);

    assertThat(blobsOn(p)).isZero();
  }

  @Test
  void peer_whoseCertificateNamesAnotherAddress_isNotTrustedByTheCaller() throws Exception {
    Peer p = peer("elsewhere");
    RemoteBlobStore store = remote(p, TestPki.client("node-a", "ca"));

    assertThatThrownBy(() -> write(store, random(1000)))
        .isInstanceOf(IOException.class)
        .rootCause()
        .hasMessageContaining("127.0.0.1");

    assertThat(blobsOn(p)).isZero();
  }

  @Test
  void caller_withTheClustersCertificate_butNoSignature_getsUnauthorized() throws Exception {
    Peer p = peer("node-b");
    HttpClient http = ClusterHttp.client(TestPki.client("node-a", "ca"));
    clients.add(http);

    int status =
        http.send(
                HttpRequest.newBuilder(p.base().resolve(Routes.HEALTH)).GET().build(),
                BodyHandlers.discarding())
            .statusCode();

    assertThat(status).isEqualTo(401);
    assertThat(p.refusals).extracting(Refusal::method).containsExactly("GET");
  }
}
