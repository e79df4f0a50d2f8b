package fr.coffre.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.coffre.audit.Finding.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Builds valid chains with {@link TestChain} (an implementation of docs/audit-format.md independent
 * of the writer), checks that they verify, then tampers with them in every way the format's table
 * lists and checks that each is caught, classified, and located (kind, line, record).
 *
 * <p>The standard export: header (line 1), records 1-10 (lines 2-11), checkpoint 10 (line 12),
 * records 11-20 (lines 13-22), checkpoint 20 (line 23) and its anchor copy (line 24, as at a
 * segment boundary), records 21-35 (lines 25-39), checkpoint 35 (line 40), records 36-50 (lines
 * 41-55), final checkpoint (line 56). Record n is at line n + 1 up to 10, n + 2 up to 20, n + 4 up
 * to 35.
 */
class AuditVerifierTest {
  private static final KeyPair KEYS = TestChain.newKeys();
  private static final KeyPair OTHER_KEYS = TestChain.newKeys();
  private static final String TRUSTED = TestChain.publicKey(KEYS);

  /** 50 records with checkpoints after 10, 20 (and its anchor copy) and 35; not exported yet. */
  private static TestChain standard(String chain, KeyPair keys) {
    TestChain c = new TestChain(chain, keys);
    for (int i = 1; i <= 50; i++) {
      c.record();
      if (i == 10 || i == 35) {
        c.checkpoint();
      } else if (i == 20) {
        c.append(c.checkpoint());
      }
    }
    return c;
  }

  private static List<String> standardExport() {
    return standard("acme", KEYS).export();
  }

  @Test
  void rotatedSigningKey_verifiesWithBothPublishedKeys_andNotWithEitherAlone() {
    TestChain c = new TestChain("acme", KEYS);
    for (int i = 1; i <= 12; i++) {
      c.record();
      if (i == 5) {
        c.checkpoint();
      }
    }
    c.checkpoint(); // the last checkpoint under the old key covers the rotation's record
    c.useKeys(OTHER_KEYS);
    for (int i = 1; i <= 4; i++) {
      c.record();
    }
    c.checkpoint();
    List<String> export = c.export();
    String both =
        "# current\n" + TestChain.pem(OTHER_KEYS) + "# retired 2026-12-06\n" + TestChain.pem(KEYS);
    VerifyReport r = verify(export, both);
    assertOk(r);
    assertThat(r.checkpoints()).isEqualTo(4);
    assertProblem(verify(export, TRUSTED), Kind.BAD_CHECKPOINT, 1, null);
    Finding f = verify(export, TestChain.pem(OTHER_KEYS)).problem();
    assertThat(f.kind()).isEqualTo(Kind.BAD_CHECKPOINT);
    assertThat(f.message()).contains("another key");
  }

  private static VerifyReport verify(List<String> lines) {
    return verify(TestChain.bytes(lines), null);
  }

  private static VerifyReport verify(List<String> lines, String trustedKey) {
    return verify(TestChain.bytes(lines), trustedKey);
  }

  private static VerifyReport verify(byte[] export, String trustedKey) {
    try {
      return AuditVerifier.verifyExport(new ByteArrayInputStream(export), trustedKey);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The list index (line number - 1) of record {@code seq}. */
  private static int indexOf(List<String> lines, long seq) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("{\"type\":\"record\"")
          && lines.get(i).contains("\"seq\":" + seq + ",")) {
        return i;
      }
    }
    throw new AssertionError("no record " + seq);
  }

  /** The list index of the first checkpoint for record {@code seq}. */
  private static int checkpointIndex(List<String> lines, long seq) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("{\"type\":\"checkpoint\"")
          && lines.get(i).contains("\"seq\":" + seq + ",")) {
        return i;
      }
    }
    throw new AssertionError("no checkpoint " + seq);
  }

  /**
   * The export's bytes with one byte of line {@code index} flipped: {@code offset} bytes into
   * {@code marker}.
   */
  private static byte[] flip(List<String> lines, int index, String marker, int offset, int mask) {
    int start = 0;
    for (int i = 0; i < index; i++) {
      start += lines.get(i).getBytes(UTF_8).length + 1;
    }
    int at = indexOf(lines.get(index).getBytes(UTF_8), marker.getBytes(UTF_8));
    assertThat(at).as("marker %s in line %d", marker, index + 1).isNotNegative();
    byte[] export = TestChain.bytes(lines);
    export[start + at + offset] ^= (byte) mask;
    return export;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }

  private static String edit(String line, String from, String to) {
    assertThat(line).contains(from);
    return line.replace(from, to);
  }

  private static void assertOk(VerifyReport r) {
    assertThat(r.ok()).as(r.describe()).isTrue();
    assertThat(r.problem()).isNull();
  }

  private static Finding assertProblem(VerifyReport r, Kind kind, long line, Long seq) {
    assertThat(r.ok()).as(r.describe()).isFalse();
    Finding f = r.problem();
    assertThat(f.kind()).as(r.describe()).isEqualTo(kind);
    assertThat(f.line()).as(r.describe()).isEqualTo(line);
    assertThat(f.seq()).as(r.describe()).isEqualTo(seq);
    assertThat(r.describe()).contains("FAILED", kind.name(), f.message());
    return f;
  }

  @Nested
  class ValidChains {
    @Test
    void exportVerifiesAgainstItsHeaderKey() {
      List<String> export = standardExport();
      assertThat(export).hasSize(56);
      assertThat(export.get(18)).contains("\"seq\":17,");

      VerifyReport r = verify(export);

      assertOk(r);
      assertThat(r.chain()).isEqualTo("acme");
      assertThat(r.records()).isEqualTo(50);
      assertThat(r.checkpoints()).isEqualTo(5);
      assertThat(r.firstSeq()).isEqualTo(1);
      assertThat(r.lastSeq()).isEqualTo(50);
      assertThat(r.firstTime()).isEqualTo(Instant.parse("2026-11-23T10:15:03.357Z"));
      assertThat(r.lastTime()).isAfter(r.firstTime());
      String fingerprint = TestChain.sha256(KEYS.getPublic().getEncoded());
      assertThat(r.keyFingerprint()).isEqualTo(fingerprint);
      assertThat(r.keyFromExport()).isTrue();
      assertThat(r.warnings()).singleElement().asString().contains("no trusted key", fingerprint);
      assertThat(r.describe())
          .contains("\"acme\": OK", "50 records", "#1 to #50", "5 signed checkpoints", fingerprint);
    }

    @Test
    void exportVerifiesAgainstATrustedKeyInBase64OrPem() {
      List<String> export = standardExport();
      for (String key : List.of(TRUSTED, TestChain.pem(KEYS), "  " + TRUSTED + "\n")) {
        VerifyReport r = verify(export, key);
        assertOk(r);
        assertThat(r.keyFromExport()).isFalse();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.keyFingerprint()).isEqualTo(TestChain.sha256(KEYS.getPublic().getEncoded()));
      }
    }

    @Test
    void aFileVerifiesLikeItsStream(@TempDir Path dir) throws IOException {
      Path file = dir.resolve("acme.jsonl");
      Files.write(file, TestChain.bytes(standardExport()));
      assertOk(AuditVerifier.verify(file, TRUSTED));

      List<String> tampered = standardExport();
      tampered.remove(18);
      Files.write(file, TestChain.bytes(tampered));
      assertProblem(AuditVerifier.verify(file, TRUSTED), Kind.DELETED, 19, 17L);
    }

    @Test
    void emptyExportVerifies() {
      List<String> export = new TestChain("acme", KEYS).export();
      assertThat(export).hasSize(2);
      VerifyReport r = verify(export, TRUSTED);
      assertOk(r);
      assertThat(r.records()).isZero();
      assertThat(r.checkpoints()).isEqualTo(1);
      assertThat(r.describe()).contains("no records");
    }

    @Test
    void exportStartingAtAnAnchorVerifiesWithAWarning() {
      // Retention expired the first segment: the export starts with the second's anchor.
      List<String> export = standardExport();
      List<String> retained = new ArrayList<>(export.subList(0, 1));
      retained.addAll(export.subList(23, export.size()));
      VerifyReport r = verify(retained, TRUSTED);
      assertOk(r);
      assertThat(r.firstSeq()).isEqualTo(21);
      assertThat(r.records()).isEqualTo(30);
      assertThat(r.warnings())
          .singleElement()
          .asString()
          .contains("starts after record 20", "line 2");
    }

    @Test
    void deletingAPeriodicCheckpointIsNotDetectable() {
      // Only the final checkpoint of an export is required; the others are there to be checked.
      List<String> export = standardExport();
      export.remove(11);
      assertOk(verify(export, TRUSTED));
    }

    @Test
    void badTrustedKeysAreRefused() {
      assertThatThrownBy(
              () -> AuditVerifier.verifyExport(new ByteArrayInputStream(new byte[0]), "not a key!"))
          .isInstanceOf(IllegalArgumentException.class);
      String rsaLike = Base64.getEncoder().encodeToString(new byte[44]);
      assertThatThrownBy(
              () -> AuditVerifier.verifyExport(new ByteArrayInputStream(new byte[0]), rsaLike))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class ModifiedRecords {
    @Test
    void aFlippedByteInAValue() {
      List<String> export = standardExport();
      Finding f =
          assertProblem(
              verify(flip(export, 18, "photos-2026", 3, 0x01), null), Kind.MODIFIED, 19, 17L);
      assertThat(f.message())
          .isEqualTo("record 17 (line 19) was modified: its content does not match its hash");
    }

    @Test
    void aFlippedByteInPrev() {
      List<String> export = standardExport();
      assertProblem(
          verify(flip(export, 18, "\"prev\":\"", 20, 0x01), TRUSTED), Kind.MODIFIED, 19, 17L);
    }

    @Test
    void aFlippedByteInHash() {
      List<String> export = standardExport();
      assertProblem(
          verify(flip(export, 18, "\"hash\":\"", 40, 0x01), TRUSTED), Kind.MODIFIED, 19, 17L);
      assertProblem(
          verify(flip(export, 18, "\"hash\":\"", 1, 0x01), TRUSTED), Kind.MODIFIED, 19, 17L);
    }

    @Test
    void aFlippedByteInSeqNamesTheRecordExpected() {
      List<String> export = standardExport();
      Finding f =
          assertProblem(
              verify(flip(export, 18, "\"seq\":17", 7, 0x01), TRUSTED), Kind.MODIFIED, 19, 16L);
      assertThat(f.message()).contains("record 17 was expected here");
    }

    @Test
    void aFlippedByteInsideANonAsciiCharacterIsMalformedUtf8() {
      List<String> export = standardExport();
      int at = export.get(18).indexOf("été");
      assertThat(at).isPositive();
      Finding f =
          assertProblem(verify(flip(export, 18, "été", 1, 0x40), TRUSTED), Kind.MALFORMED, 19, 17L);
      assertThat(f.message()).contains("line 19", "UTF-8");
    }

    @Test
    void aLineThatIsNoLongerJsonIsMalformedAndStillNamed() {
      List<String> export = standardExport();
      Finding f =
          assertProblem(
              verify(flip(export, 18, "\"bucket\":", 8, 0x01), TRUSTED), Kind.MALFORMED, 19, 17L);
      assertThat(f.message()).contains("line 19", "not valid JSON");
    }

    @Test
    void aRecordRewrittenWithARecomputedHashBreaksTheLink() {
      List<String> export = standardExport();
      ObjectNode n = TestChain.parse(export.get(18));
      n.remove("hash");
      n.put("status", 500);
      String forged = TestChain.seal(n);
      assertThat(AuditLines.computedHash(forged.getBytes(UTF_8)))
          .isEqualTo(TestChain.parse(forged).get("hash").asText());
      export.set(18, forged);

      Finding f = assertProblem(verify(export, TRUSTED), Kind.MODIFIED, 20, 18L);
      assertThat(f.message())
          .contains("broken between record 17 (line 19) and record 18 (line 20)");
    }

    @Test
    void aRecordWithARewrittenPrevAndRecomputedHash() {
      List<String> export = standardExport();
      ObjectNode n = TestChain.parse(export.get(18));
      n.remove("hash");
      n.put("prev", "1".repeat(64));
      export.set(18, TestChain.seal(n));
      Finding f = assertProblem(verify(export, TRUSTED), Kind.MODIFIED, 19, 17L);
      assertThat(f.message())
          .contains("broken between record 16 (line 18) and record 17 (line 19)");
    }

    @Test
    void theFirstRecordMustLinkToZeros() {
      List<String> export = standardExport();
      ObjectNode n = TestChain.parse(export.get(1));
      n.remove("hash");
      n.put("prev", "1".repeat(64));
      export.set(1, TestChain.seal(n));
      assertProblem(verify(export, TRUSTED), Kind.MODIFIED, 2, 1L);
    }

    @Test
    void crlfLineEndingsAreMalformed() {
      List<String> export = standardExport();
      export.replaceAll(line -> line + "\r");
      Finding f = assertProblem(verify(export, TRUSTED), Kind.MALFORMED, 1, null);
      assertThat(f.message()).contains("carriage return");
    }

    @Test
    void anUnknownRecordFieldIsMalformedEvenWithAValidHash() {
      List<String> export = standardExport();
      ObjectNode n = TestChain.parse(export.get(1));
      n.remove("hash");
      String prev = n.remove("prev").asText();
      n.put("surprise", 1);
      n.put("prev", prev);
      export.set(1, TestChain.seal(n));
      Finding f = assertProblem(verify(export, TRUSTED), Kind.MALFORMED, 2, 1L);
      assertThat(f.message()).contains("surprise");
    }
  }

  @Nested
  class DeletedInsertedReordered {
    @Test
    void oneDeletedRecord() {
      List<String> export = standardExport();
      export.remove(18);
      Finding f = assertProblem(verify(export, TRUSTED), Kind.DELETED, 19, 17L);
      assertThat(f.message())
          .isEqualTo("record 17 is missing: record 18 (line 19) follows record 16 (line 18)");
    }

    @Test
    void threeDeletedRecords() {
      List<String> export = standardExport();
      export.subList(18, 21).clear();
      Finding f = assertProblem(verify(export, TRUSTED), Kind.DELETED, 19, 17L);
      assertThat(f.message()).startsWith("records 17 to 19 are missing");
    }

    @Test
    void theDeletedFirstRecord() {
      List<String> export = standardExport();
      export.remove(1);
      Finding f = assertProblem(verify(export, TRUSTED), Kind.MISSING_START, 2, 1L);
      assertThat(f.message())
          .contains("starts at record 2 (line 2)", "record 1 is missing", "no signed anchor");
    }

    @Test
    void theRecordJustBeforeACheckpoint() {
      List<String> export = standardExport();
      export.remove(10);
      Finding f = assertProblem(verify(export, TRUSTED), Kind.DELETED, 11, 10L);
      assertThat(f.message()).contains("record 10 is missing", "checkpoint at line 11");
    }

    @Test
    void twoSwappedRecords() {
      List<String> export = standardExport();
      Collections.swap(export, 18, 19);
      Finding f = assertProblem(verify(export, TRUSTED), Kind.REORDERED, 19, 18L);
      assertThat(f.message()).contains("record 18 (line 19) comes before record 17 (line 20)");
    }

    @Test
    void aRecordMovedFurther() {
      List<String> export = standardExport();
      String five = export.remove(5);
      export.add(indexOf(export, 30) + 1, five);
      Finding f = assertProblem(verify(export, TRUSTED), Kind.REORDERED, 6, 6L);
      assertThat(f.message()).contains("record 6 (line 6) comes before record 5 (line 34)");
    }

    @Test
    void aCopyInsertedLater() {
      List<String> export = standardExport();
      export.add(indexOf(export, 30) + 1, export.get(18));
      Finding f = assertProblem(verify(export, TRUSTED), Kind.INSERTED, 35, 17L);
      assertThat(f.message()).contains("record 17 appears twice: at line 19 and again at line 35");
    }

    @Test
    void aCopyInsertedRightAfterItself() {
      List<String> export = standardExport();
      export.add(19, export.get(18));
      assertProblem(verify(export, TRUSTED), Kind.INSERTED, 20, 17L);
    }

    @Test
    void aCopyInsertedBeforeTheOriginal() {
      List<String> export = standardExport();
      export.add(6, export.get(18));
      Finding f = assertProblem(verify(export, TRUSTED), Kind.INSERTED, 7, 17L);
      assertThat(f.message()).contains("record 17 appears twice: at line 7", "again at line 20");
    }

    @Test
    void aForgedRecordThatLinksCorrectly() {
      List<String> export = standardExport();
      ObjectNode n = TestChain.parse(export.get(19));
      n.remove("hash");
      n.put("operation", "DeleteObject");
      export.add(19, TestChain.seal(n));
      Finding f = assertProblem(verify(export, TRUSTED), Kind.INSERTED, 21, 18L);
      assertThat(f.message()).contains("record 18 appears twice: at line 20 and again at line 21");
    }

    @Test
    void aRecordFromAnotherChain() {
      List<String> export = standardExport();
      List<String> globex = standard("globex", KEYS).export();
      export.set(19, globex.get(19));
      Finding f = assertProblem(verify(export, TRUSTED), Kind.WRONG_CHAIN, 20, 18L);
      assertThat(f.message()).contains("\"globex\"", "\"acme\"");
    }

    @Test
    void aHeaderNamingAnotherChain() {
      List<String> export = standardExport();
      export.set(0, edit(export.get(0), "\"chain\":\"acme\"", "\"chain\":\"acmf\""));
      assertProblem(verify(export, TRUSTED), Kind.WRONG_CHAIN, 2, 1L);
    }

    @Test
    void aLineAfterTheFinalCheckpoint() {
      List<String> export = standardExport();
      export.add(export.get(export.size() - 1));
      Finding f = assertProblem(verify(export, TRUSTED), Kind.INSERTED, 57, 50L);
      assertThat(f.message()).contains("after the export's final checkpoint (line 56)");
    }

    @Test
    void aSecondHeader() {
      List<String> export = standardExport();
      export.add(5, export.get(0));
      assertProblem(verify(export, TRUSTED), Kind.MALFORMED, 6, null);
    }
  }

  @Nested
  class Truncated {
    @Test
    void withoutItsFinalCheckpoint() {
      List<String> export = standardExport();
      export.remove(55);
      Finding f = assertProblem(verify(export, TRUSTED), Kind.TRUNCATED, 55, 50L);
      assertThat(f.message()).contains("truncated after record 50 (line 55)");
    }

    @Test
    void withoutItsFinalCheckpointAndLastThreeRecords() {
      List<String> export = standardExport();
      export.subList(52, 56).clear();
      Finding f = assertProblem(verify(export, TRUSTED), Kind.TRUNCATED, 52, 47L);
      assertThat(f.message()).contains("truncated after record 47 (line 52)");
    }

    @Test
    void lastRecordsRemovedButFinalCheckpointKept() {
      List<String> export = standardExport();
      export.subList(52, 55).clear();
      Finding f = assertProblem(verify(export, TRUSTED), Kind.TRUNCATED, 53, 47L);
      assertThat(f.message()).contains("truncated after record 47", "records 48 to 50 are missing");
    }

    @Test
    void endingAtANonFinalCheckpoint() {
      List<String> export = standardExport();
      export.subList(40, 56).clear();
      Finding f = assertProblem(verify(export, TRUSTED), Kind.TRUNCATED, 40, 35L);
      assertThat(f.message()).contains("not the final one");
    }

    @Test
    void cutInTheMiddleOfTheLastLine() {
      byte[] export = TestChain.bytes(standardExport());
      VerifyReport r = verify(Arrays.copyOf(export, export.length - 30), TRUSTED);
      assertProblem(r, Kind.TRUNCATED, 56, 50L);
      r = verify(Arrays.copyOf(export, export.length - 1), TRUSTED);
      assertProblem(r, Kind.TRUNCATED, 56, 50L);
    }

    @Test
    void headerOnlyOrNothing() {
      List<String> export = standardExport();
      assertProblem(verify(export.subList(0, 1), TRUSTED), Kind.TRUNCATED, 1, null);
      assertProblem(verify(new byte[0], TRUSTED), Kind.TRUNCATED, 0, null);
    }

    @Test
    void aFinalCheckpointAloneCannotStandForRecords() {
      List<String> export = standardExport();
      List<String> hollow = List.of(export.get(0), export.get(55));
      assertProblem(verify(hollow, TRUSTED), Kind.TRUNCATED, 2, null);
    }
  }

  @Nested
  class Checkpoints {
    private static final int CP20 = 22;

    @Test
    void signedByAnotherKey() {
      List<String> export = standardExport();
      TestChain forger = standard("acme", OTHER_KEYS);
      List<String> forged = forger.lines();
      export.set(CP20, forged.get(checkpointIndex(forged, 20)));
      Finding f = assertProblem(verify(export, TRUSTED), Kind.BAD_CHECKPOINT, 23, 20L);
      assertThat(f.message()).contains("signed with another key");
      // Same without a trusted key: the header's key is the reference.
      assertProblem(verify(export), Kind.BAD_CHECKPOINT, 23, 20L);
    }

    @Test
    void signedByAnotherKeyButClaimingTheTrustedOne() {
      List<String> export = standardExport();
      String cp = export.get(CP20);
      ObjectNode n = TestChain.parse(cp);
      export.set(
          CP20,
          TestChain.checkpoint(
              "acme",
              20,
              n.get("hash").asText(),
              n.get("time").asText(),
              false,
              OTHER_KEYS,
              TRUSTED));
      Finding f = assertProblem(verify(export, TRUSTED), Kind.BAD_CHECKPOINT, 23, 20L);
      assertThat(f.message()).contains("does not verify");
    }

    @Test
    void editedSeqHashTimeOrFinal() {
      List<String> export = standardExport();
      String cp = export.get(CP20);
      String hash = TestChain.parse(cp).get("hash").asText();
      List<String> edits =
          List.of(
              edit(cp, "\"seq\":20,", "\"seq\":19,"),
              edit(cp, hash, hash.substring(0, 63) + (hash.endsWith("0") ? "1" : "0")),
              edit(cp, "\"time\":\"2026", "\"time\":\"2027"),
              edit(cp, "\"final\":false", "\"final\":true"));
      for (String edited : edits) {
        List<String> tampered = new ArrayList<>(export);
        tampered.set(CP20, edited);
        assertThat(edited).isNotEqualTo(cp);
        long seq = TestChain.parse(edited).get("seq").asLong();
        Finding f = assertProblem(verify(tampered, TRUSTED), Kind.BAD_CHECKPOINT, 23, seq);
        assertThat(f.message()).contains("does not verify");
      }
    }

    @Test
    void theFinalCheckpointMadeNotFinal() {
      List<String> export = standardExport();
      export.set(55, edit(export.get(55), "\"final\":true", "\"final\":false"));
      assertProblem(verify(export, TRUSTED), Kind.BAD_CHECKPOINT, 56, 50L);
    }

    @Test
    void fromAnotherChain() {
      List<String> export = standardExport();
      List<String> globex = standard("globex", KEYS).lines();
      String theirs = globex.get(checkpointIndex(globex, 20));
      export.set(CP20, theirs);
      assertProblem(verify(export, TRUSTED), Kind.WRONG_CHAIN, 23, 20L);
      // Renamed to this chain, its signature no longer verifies.
      export.set(CP20, edit(theirs, "\"chain\":\"globex\"", "\"chain\":\"acme\""));
      assertProblem(verify(export, TRUSTED), Kind.BAD_CHECKPOINT, 23, 20L);
    }

    @Test
    void aGenuineCheckpointFromAnotherCopyOfTheChain() {
      // Same chain, same key, different events: the signature verifies but the hash is not ours.
      List<String> export = standardExport();
      TestChain twin = new TestChain("acme", KEYS);
      for (int i = 1; i <= 20; i++) {
        twin.record(TestChain.event(i + 1000));
      }
      export.set(CP20, twin.checkpoint());
      Finding f = assertProblem(verify(export, TRUSTED), Kind.BAD_CHECKPOINT, 23, 20L);
      assertThat(f.message()).contains("record 20 (line 22) has hash");
    }

    @Test
    void anEarlierCheckpointInPlaceOfALaterOne() {
      List<String> export = standardExport();
      export.set(CP20, export.get(11));
      Finding f = assertProblem(verify(export, TRUSTED), Kind.BAD_CHECKPOINT, 23, 10L);
      assertThat(f.message()).contains("covers records up to 10", "records up to 20 (line 22)");
    }

    @Test
    void aNonCanonicalBase64SignatureThatDecodesToTheSameBytes() {
      List<String> export = standardExport();
      String cp = export.get(CP20);
      String sig = TestChain.parse(cp).get("signature").asText();
      assertThat(sig).hasSize(88).endsWith("==");
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      char[] c = sig.toCharArray();
      c[85] = alphabet.charAt(alphabet.indexOf(c[85]) ^ 1);
      String lax = new String(c);
      assertThat(Base64.getDecoder().decode(lax)).isEqualTo(Base64.getDecoder().decode(sig));
      export.set(CP20, edit(cp, sig, lax));
      assertProblem(verify(export, TRUSTED), Kind.BAD_CHECKPOINT, 23, 20L);
    }

    @Test
    void aWrongTrustedKey() {
      VerifyReport r = verify(standardExport(), TestChain.publicKey(OTHER_KEYS));
      Finding f = assertProblem(r, Kind.BAD_CHECKPOINT, 1, null);
      assertThat(f.message()).contains("not signed with the trusted key");
    }

    @Test
    void aFullRewriteWithValidHashesKeepingTheSignedCheckpoints() {
      List<String> export = standardExport();
      TestChain rewrite = new TestChain("acme", OTHER_KEYS);
      List<String> rewritten = new ArrayList<>(export);
      for (int i = 1; i <= 50; i++) {
        rewritten.set(indexOf(export, i), rewrite.record(TestChain.event(i + 1000)));
      }
      Finding f = assertProblem(verify(rewritten, TRUSTED), Kind.BAD_CHECKPOINT, 12, 10L);
      assertThat(f.message()).contains("the records it covers were rewritten");
      assertProblem(verify(rewritten), Kind.BAD_CHECKPOINT, 12, 10L);
    }

    @Test
    void aFullRewriteResignedWithTheForgersKey() {
      List<String> forged = standard("acme", OTHER_KEYS).export();
      assertProblem(verify(forged, TRUSTED), Kind.BAD_CHECKPOINT, 1, null);
      // Without a trusted key it verifies, but the fingerprint shown is the forger's.
      VerifyReport r = verify(forged);
      assertOk(r);
      assertThat(r.keyFingerprint())
          .isEqualTo(TestChain.sha256(OTHER_KEYS.getPublic().getEncoded()))
          .isNotEqualTo(TestChain.sha256(KEYS.getPublic().getEncoded()));
    }

    @Test
    void theForgersKeyInTheHeaderOnly() {
      List<String> export = standardExport();
      export.set(0, edit(export.get(0), TRUSTED, TestChain.publicKey(OTHER_KEYS)));
      assertProblem(verify(export), Kind.BAD_CHECKPOINT, 12, 10L);
    }
  }

  @Nested
  class SegmentDirectories {
    @TempDir Path root;

    /**
     * Segment 1: records 1-20 and checkpoint 20; segment 21: its anchor, records 21-30, checkpoint
     * 30, records 31-33 (not yet covered). With {@code third}, checkpoint 30 closes segment 21 and
     * segment 31 holds its anchor and records 31-33.
     */
    private Path segments(boolean third) throws IOException {
      Path dir = Files.createDirectory(root.resolve("acme"));
      TestChain c = new TestChain("acme", KEYS);
      int mark = 0;
      long first = 1;
      for (int i = 1; i <= 33; i++) {
        c.record();
        if (i == 20 || i == 30) {
          String checkpoint = c.checkpoint();
          if (i == 20 || third) {
            List<String> all = c.lines();
            write(dir, first, all.subList(mark, all.size()));
            mark = all.size();
            first = i + 1;
            c.append(checkpoint);
          }
        }
      }
      List<String> all = c.lines();
      write(dir, first, all.subList(mark, all.size()));
      return dir;
    }

    private Path twoSegments() throws IOException {
      return segments(false);
    }

    private static Path write(Path dir, long firstSeq, List<String> lines) throws IOException {
      return Files.write(
          dir.resolve(String.format("%020d.jsonl", firstSeq)), TestChain.bytes(lines));
    }

    private static List<String> read(Path segment) throws IOException {
      return new ArrayList<>(Files.readAllLines(segment, UTF_8));
    }

    @Test
    void twoSegmentsVerify() throws IOException {
      Path dir = twoSegments();
      VerifyReport r = AuditVerifier.verify(dir, TRUSTED);
      assertOk(r);
      assertThat(r.chain()).isEqualTo("acme");
      assertThat(r.records()).isEqualTo(33);
      assertThat(r.checkpoints()).isEqualTo(3);
      assertThat(r.keyFromExport()).isFalse();
      assertThat(r.warnings())
          .singleElement()
          .asString()
          .startsWith("3 records not yet covered by a checkpoint");

      r = AuditVerifier.verify(dir, null);
      assertOk(r);
      assertThat(r.keyFromExport()).isTrue();
      assertThat(r.keyFingerprint()).isEqualTo(TestChain.sha256(KEYS.getPublic().getEncoded()));
      assertThat(r.warnings())
          .hasSize(2)
          .anySatisfy(w -> assertThat(w).contains("key of the first checkpoint"));
    }

    @Test
    void theSecondSegmentAloneVerifiesThroughItsAnchor() throws IOException {
      Path dir = twoSegments();
      Files.delete(dir.resolve("00000000000000000001.jsonl"));
      VerifyReport r = AuditVerifier.verify(dir, TRUSTED);
      assertOk(r);
      assertThat(r.firstSeq()).isEqualTo(21);
      assertThat(r.lastSeq()).isEqualTo(33);
      assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("starts after record 20"));
    }

    @Test
    void theSecondSegmentAloneWithoutItsAnchorHasNoStart() throws IOException {
      Path dir = twoSegments();
      Files.delete(dir.resolve("00000000000000000001.jsonl"));
      Path second = dir.resolve("00000000000000000021.jsonl");
      List<String> lines = read(second);
      lines.remove(0);
      Files.write(second, TestChain.bytes(lines));
      Finding f = assertProblem(AuditVerifier.verify(dir, TRUSTED), Kind.MISSING_START, 1, 1L);
      assertThat(f.message())
          .contains("line 1 of 00000000000000000021.jsonl", "records 1 to 20 are missing");
    }

    @Test
    void anAnchorForAnotherRecordIsNoStart() throws IOException {
      Path dir = twoSegments();
      Path first = dir.resolve("00000000000000000001.jsonl");
      TestChain older = new TestChain("acme", KEYS);
      for (int i = 1; i <= 19; i++) {
        older.record();
      }
      Files.delete(first);
      Path second = dir.resolve("00000000000000000021.jsonl");
      List<String> lines = read(second);
      lines.set(0, older.checkpoint());
      Files.write(second, TestChain.bytes(lines));
      assertProblem(AuditVerifier.verify(dir, TRUSTED), Kind.MISSING_START, 2, 20L);
    }

    @Test
    void threeSegmentsVerify() throws IOException {
      VerifyReport r = AuditVerifier.verify(segments(true), TRUSTED);
      assertOk(r);
      assertThat(r.checkpoints()).isEqualTo(4);
    }

    @Test
    void aDeletedMiddleSegment() throws IOException {
      Path dir = segments(true);
      Files.delete(dir.resolve("00000000000000000021.jsonl"));
      Finding f = assertProblem(AuditVerifier.verify(dir, TRUSTED), Kind.DELETED, 1, 21L);
      assertThat(f.message())
          .contains("records 21 to 30 are missing", "line 1 of 00000000000000000031.jsonl");
    }

    @Test
    void aFinalCheckpointInASegment() throws IOException {
      Path dir = twoSegments();
      TestChain c = new TestChain("acme", KEYS);
      c.record();
      write(dir, 1, List.of(c.lines().get(0), c.checkpointLine(true)));
      Files.delete(dir.resolve("00000000000000000021.jsonl"));
      assertProblem(AuditVerifier.verify(dir, TRUSTED), Kind.BAD_CHECKPOINT, 2, 1L);
    }

    @Test
    void anIncompleteLastLineIsAWarning() throws IOException {
      Path dir = twoSegments();
      Path second = dir.resolve("00000000000000000021.jsonl");
      Files.write(
          second, "{\"type\":\"record\",\"chain\":\"ac".getBytes(UTF_8), StandardOpenOption.APPEND);
      VerifyReport r = AuditVerifier.verify(dir, TRUSTED);
      assertOk(r);
      assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("incomplete"));
    }

    @Test
    void verify_segmentNamedAfterARecordBeyondALong_warnsInsteadOfFailing() throws IOException {
      // Found by AuditVerifierFuzzTest: the name's twenty digits were parsed as a long.
      Path dir = twoSegments();
      Files.move(
          dir.resolve("00000000000000000021.jsonl"), dir.resolve("99999999999999999999.jsonl"));
      VerifyReport r = AuditVerifier.verify(dir, TRUSTED);
      assertOk(r);
      assertThat(r.records()).isEqualTo(33);
      assertThat(r.warnings())
          .contains(
              "segment 99999999999999999999.jsonl is named after record "
                  + "99999999999999999999 but its first record is 21");
    }

    @Test
    void anEmptyDirectory() throws IOException {
      Path dir = Files.createDirectory(root.resolve("acme"));
      assertProblem(AuditVerifier.verify(dir, TRUSTED), Kind.TRUNCATED, 0, null);
    }

    @Test
    void aTamperedRecordInTheFirstSegment() throws IOException {
      Path dir = twoSegments();
      Path first = dir.resolve("00000000000000000001.jsonl");
      List<String> lines = read(first);
      lines.set(4, edit(lines.get(4), "photos-2026", "photos-2025"));
      Files.write(first, TestChain.bytes(lines));
      Finding f = assertProblem(AuditVerifier.verify(dir, TRUSTED), Kind.MODIFIED, 5, 5L);
      assertThat(f.message()).contains("line 5 of 00000000000000000001.jsonl");
    }
  }

  /**
   * Flips each bit mask at every byte of a small export, one byte at a time: no flip may verify,
   * and the problem must be reported at the line of the flipped byte. The header's exportedAt is
   * the header's exportedAt included (the final checkpoint signs the same time).
   */
  @ParameterizedTest(name = "mask 0x{0}")
  @ValueSource(ints = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80})
  void flippingAnyBitOfAnyByteNeverVerifies(int mask) {
    TestChain c = new TestChain("acme", KEYS);
    for (int i = 1; i <= 4; i++) {
      c.record();
      if (i == 2) {
        c.append(c.checkpoint());
      }
    }
    // Without a trusted key for the header (whose publicKey is then the reference), with it
    // elsewhere.
    List<String> lines = c.export();
    byte[] export = TestChain.bytes(lines);
    assertOk(verify(export, null));
    int[] lineOf = new int[export.length];
    for (int i = 0, line = 1; i < export.length; i++) {
      lineOf[i] = line;
      if (export[i] == '\n') {
        line++;
      }
    }
    List<String> undetected = new ArrayList<>();
    List<String> misplaced = new ArrayList<>();
    for (int pos = 0; pos < export.length; pos++) {
      byte[] tampered = export.clone();
      tampered[pos] ^= (byte) mask;
      for (String key : lineOf[pos] == 1 ? new String[] {null, TRUSTED} : new String[] {TRUSTED}) {
        VerifyReport r = verify(tampered, key);
        String what =
            "byte "
                + pos
                + " (line "
                + lineOf[pos]
                + ", '"
                + (char) export[pos]
                + "')"
                + (key == null ? "" : " with the trusted key");
        if (r.ok()) {
          undetected.add(what);
        } else if (lineOf[pos] > 1 && r.problem().line() != lineOf[pos]) {
          misplaced.add(what + ": " + r.problem().summary());
        }
      }
    }
    assertThat(undetected).isEmpty();
    assertThat(misplaced).isEmpty();
  }

  @Test
  void exportedAtIsBoundToTheFinalCheckpoint() {
    // The header's exportedAt is not hashed, but the final checkpoint signs the same time.
    List<String> export = standardExport();
    export.set(0, edit(export.get(0), "2026-11-24T08:00:00.000Z", "2026-11-25T08:00:00.000Z"));
    VerifyReport r = verify(export, TRUSTED);
    assertThat(r.ok()).isFalse();
    assertThat(r.problem().kind()).isEqualTo(Finding.Kind.BAD_CHECKPOINT);
    assertThat(r.problem().line()).isEqualTo(export.size());
  }
}
