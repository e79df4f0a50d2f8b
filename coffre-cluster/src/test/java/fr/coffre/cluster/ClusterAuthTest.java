package fr.coffre.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterAuthTest {
  private static final byte[] SECRET =
      "a-cluster-secret-of-more-than-32-bytes".getBytes(StandardCharsets.UTF_8);
  private static final String PATH = "/internal/v1/volumes/v1/blobs/abc?upload=t";

  @TempDir Path dir;
  private final HandClock clock = new HandClock(Instant.parse("2027-01-01T00:00:00Z"));
  private final ClusterAuth auth = new ClusterAuth(SECRET, clock);

  private static String verify(ClusterAuth a, String method, String path, Map<String, String> h)
      throws ClusterAuthException {
    Map<String, String> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    ci.putAll(h);
    return a.verify(method, path, ci::get);
  }

  @Test
  void verify_goodSignature_givesTheNodeName() throws Exception {
    Map<String, String> h = auth.sign("PUT", PATH, "node-a");
    assertThat(h)
        .containsOnlyKeys("X-Coffre-Node", "X-Coffre-Date", "X-Coffre-Nonce", "X-Coffre-Signature");
    assertThat(h.get("X-Coffre-Date")).isEqualTo(Long.toString(clock.millis()));
    assertThat(h.get("X-Coffre-Nonce")).matches("[0-9a-f]{32}");
    assertThat(verify(new ClusterAuth(SECRET, clock), "PUT", PATH, h)).isEqualTo("node-a");
  }

  @Test
  void verify_wrongSecret_isRefused() {
    ClusterAuth other =
        new ClusterAuth(
            "another-secret-of-more-than-32-bytes".getBytes(StandardCharsets.UTF_8), clock);
    Map<String, String> h = other.sign("GET", PATH, "node-a");
    assertThatThrownBy(() -> verify(auth, "GET", PATH, h))
        .isInstanceOf(ClusterAuthException.class)
        .hasMessageContaining("bad signature");
  }

  @Test
  void verify_eachMissingHeader_isRefused() {
    for (String name :
        new String[] {
          ClusterAuth.NODE, ClusterAuth.DATE, ClusterAuth.NONCE, ClusterAuth.SIGNATURE
        }) {
      Map<String, String> h = new HashMap<>(auth.sign("GET", PATH, "node-a"));
      h.remove(name);
      assertThatThrownBy(() -> verify(auth, "GET", PATH, h))
          .hasMessage("missing " + name + " header");
    }
    assertThatThrownBy(() -> verify(auth, "GET", PATH, Map.of()))
        .isInstanceOf(ClusterAuthException.class);
  }

  @Test
  void verify_clockSkew_refusedBeyondFiveMinutesEitherWay() throws Exception {
    HandClock sender = new HandClock(clock.instant());
    ClusterAuth senderAuth = new ClusterAuth(SECRET, sender);
    sender.advance(Duration.ofMinutes(4));
    assertThat(verify(auth, "GET", PATH, senderAuth.sign("GET", PATH, "a"))).isEqualTo("a");
    sender.advance(Duration.ofMinutes(2));
    assertThatThrownBy(() -> verify(auth, "GET", PATH, senderAuth.sign("GET", PATH, "a")))
        .hasMessageContaining("away from this node's clock");
    sender.advance(Duration.ofMinutes(-12));
    assertThatThrownBy(() -> verify(auth, "GET", PATH, senderAuth.sign("GET", PATH, "a")))
        .hasMessageContaining("away from this node's clock");
  }

  @Test
  void verify_replay_isRefused() throws Exception {
    Map<String, String> h = auth.sign("DELETE", PATH, "node-a");
    verify(auth, "DELETE", PATH, h);
    clock.advance(Duration.ofMinutes(4));
    assertThatThrownBy(() -> verify(auth, "DELETE", PATH, h)).hasMessage("replayed nonce");
  }

  @Test
  void verify_tamperedRequest_isRefused() {
    Map<String, String> h = auth.sign("GET", PATH, "node-a");
    assertThatThrownBy(() -> verify(auth, "GET", PATH.replace("upload=t", "upload=u"), h))
        .hasMessageContaining("bad signature");
    assertThatThrownBy(() -> verify(auth, "DELETE", PATH, h)).hasMessageContaining("bad signature");
    Map<String, String> otherNode = new HashMap<>(h);
    otherNode.put(ClusterAuth.NODE, "node-x");
    assertThatThrownBy(() -> verify(auth, "GET", PATH, otherNode))
        .hasMessageContaining("bad signature");
    Map<String, String> otherDate = new HashMap<>(h);
    otherDate.put(ClusterAuth.DATE, Long.toString(clock.millis() + 1));
    assertThatThrownBy(() -> verify(auth, "GET", PATH, otherDate))
        .hasMessageContaining("bad signature");
  }

  @Test
  void verify_forgedRequest_spendsNoNonce() throws Exception {
    Map<String, String> h = new HashMap<>(auth.sign("GET", PATH, "node-a"));
    String good = h.get(ClusterAuth.SIGNATURE);
    h.put(ClusterAuth.SIGNATURE, "0".repeat(64));
    assertThatThrownBy(() -> verify(auth, "GET", PATH, h)).hasMessageContaining("bad signature");
    h.put(ClusterAuth.SIGNATURE, good);
    assertThat(verify(auth, "GET", PATH, h)).isEqualTo("node-a");
  }

  @Test
  void nonces_whenFull_refuseWhatCanNoLongerBeChecked() throws Exception {
    RecentNonces nonces = new RecentNonces(2, 300_000);
    nonces.use("a", 1000, 1000);
    nonces.use("b", 1001, 1001);
    nonces.use("c", 1002, 1002);
    assertThat(nonces.size()).isEqualTo(2);
    // "a" was forgotten: its replay is refused by the floor, not let through
    assertThatThrownBy(() -> nonces.use("a", 1000, 1003)).hasMessageContaining("too old");
    assertThatThrownBy(() -> nonces.use("c", 1002, 1003)).hasMessage("replayed nonce");
    nonces.use("d", 1003, 1003);
    // past the window everything is forgotten
    nonces.use("e", 400_000, 400_000);
    assertThat(nonces.size()).isEqualTo(1);
  }

  @Test
  void fromFile_readsTheSecretWithoutItsTrailingNewline() throws Exception {
    Path file = secretFile(new String(SECRET, StandardCharsets.UTF_8) + "\n", "rw-------");
    ClusterAuth read = ClusterAuth.fromFile(file);
    assertThat(verify(read, "GET", PATH, new ClusterAuth(SECRET).sign("GET", PATH, "n")))
        .isEqualTo("n");
  }

  @Test
  void fromFile_shortSecret_isRefused() throws Exception {
    Path file = secretFile("x".repeat(31) + "\n", "rw-------");
    assertThatThrownBy(() -> ClusterAuth.fromFile(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("31 bytes");
  }

  @Test
  void fromFile_readableByOthers_isRefused() throws Exception {
    for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw----r--"}) {
      Path file = secretFile("x".repeat(64), mode);
      assertThatThrownBy(() -> ClusterAuth.fromFile(file))
          .as(mode)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("chmod 600");
    }
  }

  @Test
  void toString_neverShowsTheSecret() {
    assertThat(auth.toString()).doesNotContain("secret-of").doesNotContain("61");
  }

  @Test
  void constructor_shortSecret_isRefused() {
    assertThatThrownBy(() -> new ClusterAuth(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32");
  }

  private int files;

  private Path secretFile(String content, String mode) throws Exception {
    Path file = dir.resolve("secret" + files++);
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }
}
