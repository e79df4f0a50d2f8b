package fr.coffre.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BlobId;
import fr.coffre.storage.BlobStore;
import fr.coffre.storage.BlobStoreContract;
import fr.coffre.storage.BlobWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blob store contract, run through the network: a {@link RemoteBlobStore} against a real {@link
 * BlobServer} over a {@link fr.coffre.storage.FileBlobStore}. Every contract case applies as it is:
 * {@code removeTemporaries} is a no-op here (the peer cleans its own), which is what the contract's
 * case checks (committed blobs stay).
 */
class RemoteBlobStoreTest extends BlobStoreContract {
  @TempDir Path dir;
  private Peer peer;
  private HttpClient http;

  @Override
  protected BlobStore newStore() throws IOException {
    try {
      peer = new Peer(dir.resolve("peer"));
    } catch (Exception e) {
      throw new IOException(e);
    }
    http = ClusterHttp.client();
    return remote(Peer.VOLUME, peer.base(), Peer.SECRET, RemoteBlobStore.READ_TIMEOUT);
  }

  private RemoteBlobStore remote(String volume, URI base, byte[] secret, Duration timeout) {
    return new RemoteBlobStore(
        volume, () -> base, "node-a", new ClusterAuth(secret), http, timeout);
  }

  @AfterEach
  void stopPeer(TestInfo test) throws Exception {
    // Requests sent without waiting (aborts) finish while the peer is up; then the peer stops,
    // which ends what a test abandoned on purpose. Nothing may stay pending after that.
    http.shutdown();
    http.awaitTermination(Duration.ofSeconds(1));
    peer.close();
    boolean drained = http.awaitTermination(Duration.ofSeconds(5));
    http.shutdownNow();
    // Except after the contract's abandoned writer (never closed, a crash): its PUT stays open
    // until the peer's idle timeout ends it, as a crashed sender's would.
    if (!test.getTestMethod().orElseThrow().getName().contains("afterAbandonedWriter")) {
      assertThat(drained).as("no exchange left pending").isTrue();
    }
  }

  @Test
  void commit_landsDurablyOnThePeersVolume() throws IOException {
    byte[] content = random(200_000);
    BlobId id = write(content, true);
    assertThat(peer.volume.exists(id)).isTrue();
    assertThat(peer.temporaries()).isZero();
    assertThat(peer.blobs.pendingUploads()).isZero();
    assertThat(store.describe(id)).isEqualTo(peer.base().getAuthority() + "/v1/" + id);
  }

  @Test
  void close_midWrite_leavesNothingOnThePeer() throws Exception {
    BlobId id = BlobId.random();
    BlobWriter w = store.create(id);
    w.write(ByteBuffer.wrap(random(3 * 1024 * 1024)));
    w.close();
    assertThat(Await.until(() -> peer.temporaries() == 0, Duration.ofSeconds(5))).isTrue();
    assertThat(peer.blobs.pendingUploads()).isZero();
    assertThat(peer.volume.exists(id)).isFalse();
  }

  @Test
  void open_readsAcrossSeeksBackAndForth() throws IOException {
    byte[] content = random(1_000_000);
    BlobId id = write(content, true);
    try (SeekableByteChannel c = store.open(id)) {
      assertThat(c.size()).isEqualTo(content.length);
      for (long at : new long[] {900_000, 10, 500_000, 500_100, 999_999, 0}) {
        c.position(at);
        ByteBuffer b = ByteBuffer.allocate(50);
        while (b.hasRemaining() && c.read(b) >= 0) {
          // keep reading
        }
        int n = b.position();
        assertThat(Arrays.copyOf(b.array(), n))
            .as("at %d", at)
            .isEqualTo(Arrays.copyOfRange(content, (int) at, (int) at + n));
        assertThat(n).isEqualTo((int) Math.min(50, content.length - at));
      }
      c.position(content.length);
      assertThat(c.read(ByteBuffer.allocate(1))).isEqualTo(-1);
    }
  }

  @Test
  void write_emptyBlob_commitsAndReadsEmpty() throws IOException {
    BlobId id = write(new byte[0], true);
    assertThat(store.exists(id)).isTrue();
    assertThat(read(id, 0, 10)).isEmpty();
  }

  @Test
  void writer_seekElsewhere_isRefused() throws IOException {
    try (BlobWriter w = store.create(BlobId.random())) {
      w.write(ByteBuffer.wrap(random(10)));
      assertThat(w.position()).isEqualTo(10);
      w.position(10);
      assertThatThrownBy(() -> w.position(0)).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> w.truncate(0)).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void unknownVolume_isAnErrorNotAMissingBlob() {
    BlobStore other = remote("v9", peer.base(), Peer.SECRET, RemoteBlobStore.READ_TIMEOUT);
    assertThatThrownBy(() -> other.exists(BlobId.random()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("serves no volume v9");
    assertThatThrownBy(() -> other.open(BlobId.random()))
        .isNotInstanceOf(java.nio.file.NoSuchFileException.class)
        .hasMessageContaining("serves no volume v9");
  }

  @Test
  void wrongSecret_isRefusedAndSaysWhy() {
    byte[] wrong = "another-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8);
    BlobStore other = remote(Peer.VOLUME, peer.base(), wrong, RemoteBlobStore.READ_TIMEOUT);
    assertThatThrownBy(() -> other.exists(BlobId.random()))
        .hasMessageContaining("401")
        .hasMessageContaining("cluster secret");
    assertThat(peer.refusals).hasSize(1);
  }

  @Test
  void unknownNode_isUnreachable() {
    BlobStore nowhere =
        new RemoteBlobStore(Peer.VOLUME, () -> null, "node-a", new ClusterAuth(Peer.SECRET), http);
    assertThatThrownBy(() -> nowhere.exists(BlobId.random()))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("volume v1")
        .hasMessageContaining("unreachable");
    assertThatThrownBy(() -> nowhere.create(BlobId.random())).isInstanceOf(ConnectException.class);
  }

  @Test
  void stoppedNode_isUnreachable_forReadsAndWrites() throws Exception {
    URI base = peer.base();
    peer.close();
    BlobStore down = remote(Peer.VOLUME, base, Peer.SECRET, Duration.ofSeconds(5));
    assertThatThrownBy(() -> down.exists(BlobId.random()))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining(base.getAuthority())
        .hasMessageContaining("unreachable");
    assertThatThrownBy(
            () -> {
              try (BlobWriter w = down.create(BlobId.random())) {
                w.write(ByteBuffer.wrap(random(10)));
                w.commit();
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unreachable");
  }

  @Test
  void silentPeer_timesOutInsteadOfHanging() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> acceptAndHold(silent));
      URI base = URI.create("http://127.0.0.1:" + silent.getLocalPort());
      BlobStore stalled = remote(Peer.VOLUME, base, Peer.SECRET, Duration.ofMillis(300));
      assertThatThrownBy(() -> stalled.exists(BlobId.random()))
          .isInstanceOf(HttpTimeoutException.class)
          .hasMessageContaining(base.getAuthority());
      assertThatThrownBy(
              () -> {
                try (BlobWriter w = stalled.create(BlobId.random())) {
                  // the silent peer reads nothing: the body fills the socket, then demand stops
                  for (int i = 0; i < 1000; i++) {
                    w.write(ByteBuffer.wrap(random(64 * 1024)));
                  }
                  w.commit();
                }
              })
          .isInstanceOf(HttpTimeoutException.class);
    }
  }

  @Test
  void peerStallingMidBody_timesOutTheRead() throws Exception {
    try (ServerSocket half = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> answerHeadThenStallGet(half));
      URI base = URI.create("http://127.0.0.1:" + half.getLocalPort());
      BlobStore stalled = remote(Peer.VOLUME, base, Peer.SECRET, Duration.ofMillis(300));
      try (SeekableByteChannel c = stalled.open(BlobId.random())) {
        assertThat(c.size()).isEqualTo(100);
        ByteBuffer b = ByteBuffer.allocate(100);
        assertThatThrownBy(
                () -> {
                  while (b.hasRemaining() && c.read(b) >= 0) {
                    // the first 10 bytes arrive, then nothing
                  }
                })
            .isInstanceOf(HttpTimeoutException.class);
        assertThat(b.position()).isEqualTo(10);
      }
    }
  }

  /** Accepts connections and never answers nor reads. */
  private static void acceptAndHold(ServerSocket s) {
    java.util.List<Socket> held = new java.util.ArrayList<>();
    try {
      while (true) {
        held.add(s.accept());
      }
    } catch (IOException e) {
      // closed by the test
    }
  }

  /** Answers a HEAD with a size of 100, then a GET with 10 of its 100 bytes, then stalls. */
  private static void answerHeadThenStallGet(ServerSocket s) {
    java.util.List<Socket> held = new java.util.ArrayList<>();
    try {
      while (true) {
        Socket c = s.accept();
        held.add(c);
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    InputStream in = c.getInputStream();
                    OutputStream out = c.getOutputStream();
                    while (true) {
                      String head = readHead(in);
                      if (head.startsWith("HEAD")) {
                        out.write(
                            ("HTTP/1.1 200 OK\r\nX-Coffre-Blob-Size: 100\r\nContent-Length: 0\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                      } else {
                        out.write(
                            ("HTTP/1.1 206 Partial Content\r\nX-Coffre-Blob-Size: 100\r\n"
                                    + "Content-Range: bytes 0-99/100\r\nContent-Length: 100\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.write(new byte[10]);
                      }
                      out.flush();
                    }
                  } catch (IOException e) {
                    // the client went away
                  }
                });
      }
    } catch (IOException e) {
      // closed by the test
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed");
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
