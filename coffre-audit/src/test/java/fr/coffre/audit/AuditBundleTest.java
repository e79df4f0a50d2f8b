package fr.coffre.audit;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.core.AuditEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster exports: two real trails (two directories, two signing keys) stand for two nodes; node-1
 * bundles its own part and node-2's, and the verifier checks each part under its node's key and the
 * signed list of parts. Tampering with one node's part, dropping or replacing a part, and a node
 * that cannot be reached are each told apart and named.
 */
class AuditBundleTest {
  @TempDir Path dir;
  private final AuditLogTest.MutableClock clock =
      new AuditLogTest.MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private Node one;
  private Node two;

  /** A node's trail and its key. */
  private record Node(String name, AuditLog log, String publicKey) implements AuditPeer {
    @Override
    public String node() {
      return name;
    }

    @Override
    public void export(String chain, OutputStream out) throws IOException {
      log.export(chain, out);
    }
  }

  private Node node(String name) throws IOException, GeneralSecurityException {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    Signer signer =
        new Signer() {
          @Override
          public byte[] sign(byte[] message) {
            try {
              Signature s = Signature.getInstance("Ed25519");
              s.initSign(pair.getPrivate());
              s.update(message);
              return s.sign();
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException(e);
            }
          }

          @Override
          public String publicKeyBase64() {
            return publicKey;
          }
        };
    AuditLog log =
        AuditLog.open(
            dir.resolve(name),
            new AuditLog.Options(Duration.ofHours(1), 64L << 20, Duration.ofDays(180)),
            () -> signer,
            clock);
    return new Node(name, log, publicKey);
  }

  @BeforeEach
  void nodes() throws Exception {
    one = node("node-1");
    two = node("node-2");
    for (int i = 0; i < 5; i++) {
      one.log().append(List.of("acme"), event("one-" + i));
    }
    for (int i = 0; i < 3; i++) {
      two.log().append(List.of("acme"), event("two-" + i));
    }
  }

  @AfterEach
  void close() {
    one.log().close();
    two.log().close();
  }

  private AuditEvent event(String id) {
    clock.advance(Duration.ofMillis(7));
    return new AuditEvent(
        clock.instant(),
        id,
        "s3",
        new AuditEvent.Actor("user", "acme", "123456789012", "alice", "AKIA1", null),
        "127.0.0.1",
        false,
        "PutObject",
        "photos",
        "key " + id,
        null,
        200,
        null,
        10,
        0,
        null);
  }

  private List<String> bundle(List<AuditPeer> peers) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    one.log().exportBundle("acme", "node-1", peers, out);
    return new ArrayList<>(out.toString(StandardCharsets.UTF_8).lines().toList());
  }

  private BundleReport verify(List<String> lines, List<String> keys) throws IOException {
    byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    return AuditVerifier.verifyBundle(new ByteArrayInputStream(bytes), keys);
  }

  private List<String> bothKeys() {
    return List.of(one.publicKey(), two.publicKey());
  }

  @Test
  void bundle_ofTwoNodes_holdsEveryNodesRecords_andVerifiesPerNode() throws Exception {
    List<String> lines = bundle(List.of(two));
    assertThat(lines.get(0))
        .startsWith("{\"type\":\"bundle\",\"format\":\"coffre-audit-bundle/1\"");
    BundleReport r = verify(lines, bothKeys());
    assertThat(r.ok()).as(r.describe()).isTrue();
    assertThat(r.complete()).isTrue();
    assertThat(r.parts()).extracting(BundleReport.Part::node).containsExactly("node-1", "node-2");
    assertThat(r.parts().get(0).report().records()).isEqualTo(5);
    assertThat(r.parts().get(1).report().records()).isEqualTo(3);
    assertThat(r.describe()).contains(": OK").contains("node node-2: OK");
  }

  @Test
  void bundle_withoutTrustedKeys_verifiesAgainstEachPartsKey_withAWarning() throws Exception {
    BundleReport r = verify(bundle(List.of(two)), List.of());
    assertThat(r.ok()).as(r.describe()).isTrue();
    assertThat(r.warnings()).anyMatch(w -> w.contains("no trusted key"));
  }

  @Test
  void unreachableNode_isListedMissing_andTheExportSaysIncomplete() throws Exception {
    AuditPeer down =
        new AuditPeer() {
          @Override
          public String node() {
            return "node-3";
          }

          @Override
          public void export(String chain, OutputStream out) throws IOException {
            throw new ConnectException("node node-3 is down");
          }
        };
    List<String> lines = bundle(List.of(two, down));
    assertThat(lines.get(lines.size() - 2))
        .isEqualTo(
            "{\"type\":\"part\",\"node\":\"node-3\",\"missing\":\"unreachable: node node-3 is down\"}");
    assertThat(lines.get(lines.size() - 1)).contains("\"complete\":false");
    BundleReport r = verify(lines, bothKeys());
    assertThat(r.ok()).as(r.describe()).isTrue();
    assertThat(r.complete()).isFalse();
    assertThat(r.describe())
        .contains(": INCOMPLETE")
        .contains("incomplete: node node-3 unreachable: node node-3 is down");
  }

  @Test
  void peerThatAnswersACutExport_isListedMissing() throws Exception {
    AuditPeer cut =
        new AuditPeer() {
          @Override
          public String node() {
            return "node-2";
          }

          @Override
          public void export(String chain, OutputStream out) throws IOException {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            two.log().export(chain, whole);
            byte[] b = whole.toByteArray();
            out.write(b, 0, b.length - 40);
          }
        };
    BundleReport r = verify(bundle(List.of(cut)), bothKeys());
    assertThat(r.complete()).isFalse();
    assertThat(r.parts().get(1).missing()).contains("cut");
  }

  @Test
  void tamperedRecordInOneNodesPart_failsNamingThatNode() throws Exception {
    List<String> lines = bundle(List.of(two));
    int at = indexOf(lines, "\"requestId\":\"two-1\"");
    lines.set(at, lines.get(at).replace("\"status\":200", "\"status\":403"));
    BundleReport r = verify(lines, bothKeys());
    assertThat(r.ok()).isFalse();
    assertThat(r.failedNodes()).containsExactly("node-2");
    assertThat(r.parts().get(0).report().ok()).isTrue();
    assertThat(r.parts().get(1).report().problem().kind()).isEqualTo(Finding.Kind.MODIFIED);
    assertThat(r.describe()).contains("FAILED").contains("the part of node node-2 failed");
  }

  @Test
  void droppedPart_failsEvenWithTheHeaderEdited() throws Exception {
    List<String> lines = bundle(List.of(two));
    int part = indexOf(lines, "{\"type\":\"part\",\"node\":\"node-2\"}");
    List<String> kept = new ArrayList<>(lines.subList(0, part));
    kept.add(lines.get(lines.size() - 1));
    kept.set(0, kept.get(0).replace(",\"node-2\"", ""));
    BundleReport r = verify(kept, bothKeys());
    assertThat(r.ok()).isFalse();
    assertThat(r.problem()).contains("dropped, added or replaced");
  }

  @Test
  void partReplacedByAMissingMarker_failsTheSignature() throws Exception {
    List<String> lines = bundle(List.of(two));
    int part = indexOf(lines, "{\"type\":\"part\",\"node\":\"node-2\"}");
    List<String> forged = new ArrayList<>(lines.subList(0, part));
    forged.add("{\"type\":\"part\",\"node\":\"node-2\",\"missing\":\"unreachable: down\"}");
    String end = lines.get(lines.size() - 1);
    forged.add(
        end.replace("\"complete\":true", "\"complete\":false")
            .replaceAll(
                "\\{\"node\":\"node-2\",\"seq\":3,[^}]*}",
                "{\"node\":\"node-2\",\"missing\":\"unreachable: down\"}"));
    assertThat(forged.get(forged.size() - 1)).contains("\"missing\":\"unreachable: down\"");
    BundleReport r = verify(forged, bothKeys());
    assertThat(r.ok()).isFalse();
    assertThat(r.problem()).contains("does not verify");
  }

  @Test
  void partSignedWithAnUntrustedKey_failsNamingThatNode() throws Exception {
    BundleReport r = verify(bundle(List.of(two)), List.of(one.publicKey()));
    assertThat(r.ok()).isFalse();
    assertThat(r.failedNodes()).containsExactly("node-2");
    assertThat(r.parts().get(1).report().problem().kind()).isEqualTo(Finding.Kind.BAD_CHECKPOINT);
  }

  @Test
  void cutBundle_fails() throws Exception {
    List<String> lines = bundle(List.of(two));
    BundleReport r = verify(lines.subList(0, lines.size() - 1), bothKeys());
    assertThat(r.ok()).isFalse();
    assertThat(r.problem()).contains("without the bundle's signed closing line");
  }

  @Test
  void singleNodeExport_isNotABundle_andStillVerifiesAsBefore() throws Exception {
    Path file = dir.resolve("single.jsonl");
    try (OutputStream out = Files.newOutputStream(file)) {
      one.log().export("acme", out);
    }
    assertThat(AuditVerifier.isBundle(file)).isFalse();
    VerifyReport r = AuditVerifier.verify(file, one.publicKey());
    assertThat(r.ok()).as(r.describe()).isTrue();
    Path bundle = dir.resolve("bundle.jsonl");
    Files.write(bundle, bundle(List.of(two)));
    assertThat(AuditVerifier.isBundle(bundle)).isTrue();
  }

  @Test
  void spoolFiles_areRemoved() throws Exception {
    bundle(List.of(two));
    try (Stream<Path> files = Files.list(dir.resolve("node-1"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(BundleExport.SPOOL_PREFIX));
    }
  }

  @Test
  void anyOneByteChangedOrLineDeletedOrDoubled_isCaught_neverThrown() throws Exception {
    AuditPeer down =
        new AuditPeer() {
          @Override
          public String node() {
            return "node-3";
          }

          @Override
          public void export(String chain, OutputStream out) throws IOException {
            throw new ConnectException("down");
          }
        };
    List<String> lines = bundle(List.of(two, down));
    byte[] whole = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    java.util.Random random = new java.util.Random(19);
    for (int i = 0; i < 400; i++) {
      byte[] b = whole.clone();
      int at = random.nextInt(b.length);
      byte to;
      do {
        to = (byte) (0x20 + random.nextInt(0x5f));
      } while (to == b[at]);
      b[at] = to;
      BundleReport r = AuditVerifier.verifyBundle(new ByteArrayInputStream(b), bothKeys());
      // Unchanged, the bundle is intact but incomplete (node-3 missing): any change must fail it.
      assertThat(r.ok()).as("byte %d changed to '%c': %s", at, (char) to, r.describe()).isFalse();
    }
    for (int i = 1; i < lines.size(); i++) {
      List<String> deleted = new ArrayList<>(lines);
      deleted.remove(i);
      assertThat(verify(deleted, bothKeys()).ok()).as("line %d deleted", i + 1).isFalse();
      List<String> doubled = new ArrayList<>(lines);
      doubled.add(i, lines.get(i));
      assertThat(verify(doubled, bothKeys()).ok()).as("line %d doubled", i + 1).isFalse();
    }
  }

  private static int indexOf(List<String> lines, String part) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(part)) {
        return i;
      }
    }
    throw new AssertionError("no line holds " + part);
  }
}
