package fr.coffre.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.core.BlobId;
import fr.coffre.storage.BlobWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The internal API as a peer sees it on the wire: authentication, two-step writes, ranges. */
class BlobServerTest {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;
  private final HandClock clock = new HandClock(Instant.now());
  private final ClusterAuth auth = new ClusterAuth(Peer.SECRET, clock);
  private Peer peer;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    peer = new Peer(dir, clock, Duration.ofMinutes(5));
    http = ClusterHttp.client();
  }

  @AfterEach
  void stop() throws Exception {
    // Requests sent without waiting (aborts) finish while the peer is up; then the peer stops,
    // which ends what a test abandoned on purpose. Nothing may stay pending after that.
    http.shutdown();
    http.awaitTermination(Duration.ofSeconds(1));
    peer.close();
    boolean drained = http.awaitTermination(Duration.ofSeconds(5));
    http.shutdownNow();
    assertThat(drained).as("no exchange left pending").isTrue();
  }

  private HttpResponse<byte[]> send(
      String method, String pathAndQuery, BodyPublisher body, boolean signed, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(peer.base().resolve(pathAndQuery)).method(method, body);
    if (signed) {
      auth.sign(method, pathAndQuery, "node-a").forEach(b::header);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> send(String method, String pathAndQuery, String... headers)
      throws Exception {
    return send(method, pathAndQuery, BodyPublishers.noBody(), true, headers);
  }

  private static String blob(BlobId id) {
    return "/internal/v1/volumes/v1/blobs/" + id;
  }

  private BlobId committed(byte[] content) throws IOException {
    return committed(BlobId.random(), content);
  }

  private BlobId committed(BlobId id, byte[] content) throws IOException {
    try (BlobWriter w = peer.volume.create(id)) {
      w.write(ByteBuffer.wrap(content));
      w.commit();
    }
    return id;
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void unsignedRequests_areRefused_auditedAndTouchNothing() throws Exception {
    byte[] content = random(1000);
    BlobId id = committed(content);
    BlobId fresh = BlobId.random();
    var refused =
        java.util.List.of(
            send("GET", "/internal/v1/health", BodyPublishers.noBody(), false),
            send("GET", blob(id), BodyPublishers.noBody(), false),
            send("HEAD", blob(id), BodyPublishers.noBody(), false),
            send("DELETE", blob(id), BodyPublishers.noBody(), false),
            send("GET", "/internal/v1/volumes/v1/blobs", BodyPublishers.noBody(), false),
            send(
                "PUT",
                blob(fresh) + "?upload=" + TOKEN,
                BodyPublishers.ofByteArray(random(10)),
                false),
            send("POST", blob(fresh) + "?commit=" + TOKEN + "&sha256=" + sha256(random(10))),
            send("GET", "/internal/v1/elsewhere", BodyPublishers.noBody(), false));
    // the signed commit above is refused for another reason (no upload), not 401
    assertThat(refused.get(6).statusCode()).isEqualTo(404);
    for (int i = 0; i < refused.size(); i++) {
      if (i != 6) {
        assertThat(refused.get(i).statusCode()).as("request %d", i).isEqualTo(401);
        assertThat(text(refused.get(i))).as("request %d", i).isIn("unauthorized\n", "");
      }
    }
    assertThat(peer.refusals).hasSize(7);
    assertThat(peer.refusals.get(0).method()).isEqualTo("GET");
    assertThat(peer.refusals.get(0).path()).isEqualTo("/internal/v1/health");
    assertThat(peer.refusals.get(0).reason()).contains("missing");
    assertThat(peer.refusals.get(0).remoteAddress()).isEqualTo("127.0.0.1");
    assertThat(peer.refusals.get(5).path()).isEqualTo(blob(fresh) + "?upload=" + TOKEN);
    assertThat(peer.volume.exists(id)).isTrue();
    assertThat(peer.volume.exists(fresh)).isFalse();
    assertThat(peer.blobs.pendingUploads()).isZero();
    assertThat(peer.temporaries()).isZero();
  }

  @Test
  void badSignature_isRefused() throws Exception {
    BlobId id = committed(random(10));
    var wrong = new ClusterAuth("x".repeat(32).getBytes(StandardCharsets.UTF_8), clock);
    HttpRequest.Builder b = HttpRequest.newBuilder(peer.base().resolve(blob(id))).DELETE();
    wrong.sign("DELETE", blob(id), "node-a").forEach(b::header);
    assertThat(http.send(b.build(), BodyHandlers.discarding()).statusCode()).isEqualTo(401);
    assertThat(peer.refusals)
        .singleElement()
        .extracting(Refusal::reason)
        .asString()
        .contains("bad signature");
    assertThat(peer.volume.exists(id)).isTrue();
  }

  @Test
  void signatureForAnotherPath_isRefused() throws Exception {
    BlobId id = committed(random(10));
    BlobId other = BlobId.random();
    HttpRequest.Builder b = HttpRequest.newBuilder(peer.base().resolve(blob(id))).DELETE();
    auth.sign("DELETE", blob(other), "node-a").forEach(b::header);
    assertThat(http.send(b.build(), BodyHandlers.discarding()).statusCode()).isEqualTo(401);
    assertThat(peer.volume.exists(id)).isTrue();
  }

  @Test
  void health_answersTheNodeName() throws Exception {
    var r = send("GET", "/internal/v1/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("{\"node\":\"node-b\"}\n");
  }

  @Test
  void putThenCommit_publishesOnlyAtTheCommit() throws Exception {
    byte[] content = random(300_000);
    BlobId id = BlobId.random();
    var put = send("PUT", blob(id) + "?upload=" + TOKEN, BodyPublishers.ofByteArray(content), true);
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(text(put)).isEqualTo("{\"sha256\":\"" + sha256(content) + "\",\"size\":300000}\n");
    assertThat(peer.volume.exists(id)).isFalse();
    var commit = send("POST", blob(id) + "?commit=" + TOKEN + "&sha256=" + sha256(content));
    assertThat(commit.statusCode()).isEqualTo(200);
    assertThat(peer.volume.exists(id)).isTrue();
    assertThat(peer.blobs.pendingUploads()).isZero();
    var again = send("POST", blob(id) + "?commit=" + TOKEN + "&sha256=" + sha256(content));
    assertThat(again.statusCode()).isEqualTo(404);
  }

  @Test
  void commitWithWrongSha256_discardsTheUpload() throws Exception {
    byte[] content = random(1000);
    BlobId id = BlobId.random();
    send("PUT", blob(id) + "?upload=" + TOKEN, BodyPublishers.ofByteArray(content), true);
    assertThat(peer.temporaries()).isEqualTo(1);
    var commit = send("POST", blob(id) + "?commit=" + TOKEN + "&sha256=" + sha256(random(999)));
    assertThat(commit.statusCode()).isEqualTo(409);
    assertThat(peer.volume.exists(id)).isFalse();
    assertThat(peer.temporaries()).isZero();
    var retry = send("POST", blob(id) + "?commit=" + TOKEN + "&sha256=" + sha256(content));
    assertThat(retry.statusCode()).isEqualTo(404);
    assertThat(peer.volume.exists(id)).isFalse();
  }

  @Test
  void commitOfAnotherBlobsToken_isRefused() throws Exception {
    byte[] content = random(100);
    BlobId id = BlobId.random();
    BlobId other = BlobId.random();
    send("PUT", blob(id) + "?upload=" + TOKEN, BodyPublishers.ofByteArray(content), true);
    var commit = send("POST", blob(other) + "?commit=" + TOKEN + "&sha256=" + sha256(content));
    assertThat(commit.statusCode()).isEqualTo(409);
    assertThat(peer.volume.exists(id)).isFalse();
    assertThat(peer.volume.exists(other)).isFalse();
  }

  @Test
  void abort_discardsTheUpload() throws Exception {
    BlobId id = BlobId.random();
    send("PUT", blob(id) + "?upload=" + TOKEN, BodyPublishers.ofByteArray(random(100)), true);
    assertThat(send("POST", blob(id) + "?abort=" + TOKEN).statusCode()).isEqualTo(204);
    assertThat(peer.temporaries()).isZero();
    assertThat(peer.blobs.pendingUploads()).isZero();
  }

  @Test
  void uploadNeverCommitted_isSweptAfterTheTimeout() throws Exception {
    BlobId id = BlobId.random();
    send("PUT", blob(id) + "?upload=" + TOKEN, BodyPublishers.ofByteArray(random(100)), true);
    clock.advance(Duration.ofMinutes(4));
    assertThat(peer.blobs.sweep()).isZero();
    assertThat(peer.temporaries()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(2));
    assertThat(peer.blobs.sweep()).isEqualTo(1);
    assertThat(peer.temporaries()).isZero();
    assertThat(peer.volume.exists(id)).isFalse();
  }

  @Test
  void putWhoseSenderDiesMidBody_leavesNothing() throws Exception {
    BlobId id = BlobId.random();
    String path = blob(id) + "?upload=" + TOKEN;
    try (Socket s = new Socket(peer.base().getHost(), peer.base().getPort())) {
      StringBuilder head = new StringBuilder("PUT " + path + " HTTP/1.1\r\nHost: peer\r\n");
      auth.sign("PUT", path, "node-a")
          .forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("Content-Length: 1000000\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(random(400_000));
      out.flush();
      assertThat(Await.until(() -> peer.temporaries() == 1, Duration.ofSeconds(5))).isTrue();
    }
    assertThat(Await.until(() -> peer.temporaries() == 0, Duration.ofSeconds(5))).isTrue();
    assertThat(peer.blobs.pendingUploads()).isZero();
    assertThat(peer.volume.exists(id)).isFalse();
  }

  @Test
  void reusedUploadToken_isRefused() throws Exception {
    BlobId id = BlobId.random();
    send("PUT", blob(id) + "?upload=" + TOKEN, BodyPublishers.ofByteArray(random(10)), true);
    var second =
        send("PUT", blob(id) + "?upload=" + TOKEN, BodyPublishers.ofByteArray(random(20)), true);
    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(peer.temporaries()).isEqualTo(1);
  }

  @Test
  void get_servesRangesWithTheFullSize() throws Exception {
    byte[] content = random(100_000);
    BlobId id = committed(content);

    var all = send("GET", blob(id));
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.body()).isEqualTo(content);
    assertThat(all.headers().firstValue("X-Coffre-Blob-Size")).hasValue("100000");

    var tail = send("GET", blob(id), "Range", "bytes=99990-");
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(content, 99_990, 100_000));
    assertThat(tail.headers().firstValue("Content-Range")).hasValue("bytes 99990-99999/100000");
    assertThat(tail.headers().firstValue("X-Coffre-Blob-Size")).hasValue("100000");

    var middle = send("GET", blob(id), "Range", "bytes=10-19");
    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));

    var past = send("GET", blob(id), "Range", "bytes=100000-");
    assertThat(past.statusCode()).isEqualTo(416);
    assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */100000");
  }

  @Test
  void headAndGetOfAbsentBlob_are404() throws Exception {
    BlobId id = BlobId.random();
    assertThat(send("HEAD", blob(id)).statusCode()).isEqualTo(404);
    assertThat(send("GET", blob(id)).statusCode()).isEqualTo(404);
    BlobId present = committed(random(42));
    var head = send("HEAD", blob(present));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("X-Coffre-Blob-Size")).hasValue("42");
  }

  @Test
  void delete_isIdempotent() throws Exception {
    BlobId id = committed(random(42));
    assertThat(send("DELETE", blob(id)).statusCode()).isEqualTo(204);
    assertThat(send("DELETE", blob(id)).statusCode()).isEqualTo(204);
    assertThat(peer.volume.exists(id)).isFalse();
  }

  @Test
  void list_streamsOneIdPerLine() throws Exception {
    BlobId a = committed(random(1));
    BlobId b = committed(random(2));
    var r = send("GET", "/internal/v1/volumes/v1/blobs");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(text(r).lines()).containsExactlyInAnyOrder(a.value(), b.value());
  }

  @Test
  void unknownVolumeBadIdAndUnknownRoute_areNotFoundOrBadRequest() throws Exception {
    var volume = send("GET", "/internal/v1/volumes/nope/blobs/" + BlobId.random());
    assertThat(volume.statusCode()).isEqualTo(404);
    assertThat(volume.headers().firstValue("X-Coffre-Error")).hasValue("no-such-volume");
    assertThat(send("GET", "/internal/v1/volumes/v1/blobs/..%2F..%2Fetc").statusCode()).isIn(400);
    assertThat(send("GET", "/internal/v1/volumes/v1/blobs/ABC").statusCode()).isEqualTo(400);
    assertThat(send("GET", "/internal/v1/nothing").statusCode()).isEqualTo(404);
    assertThat(send("PATCH", blob(BlobId.random())).statusCode()).isEqualTo(405);
  }

  @Test
  void replayedRequest_isRefused() throws Exception {
    BlobId id = committed(random(10));
    Map<String, String> signed = auth.sign("DELETE", blob(id), "node-a");
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(peer.base() + blob(id))).DELETE();
    signed.forEach(b::header);
    assertThat(http.send(b.build(), BodyHandlers.discarding()).statusCode()).isEqualTo(204);
    committed(id, random(10));
    assertThat(http.send(b.build(), BodyHandlers.discarding()).statusCode()).isEqualTo(401);
    assertThat(peer.volume.exists(id)).isTrue();
    assertThat(peer.refusals)
        .singleElement()
        .extracting(Refusal::reason)
        .asString()
        .contains("replayed");
  }
}
