package fr.coffre.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.coffre.testing.Fuzz;
import fr.coffre.testing.Mutations;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the offline audit verifier with tampered exports and segment directories: random chains
 * (anchored or from record 1, with periodic checkpoints and anchor copies), damaged at random by
 * byte, by line (deleted, repeated, moved, cut, joined, CRLF), and by field with the record's hash
 * recomputed or the checkpoint signed again, so that the damage reaches past the first check.
 *
 * <p>Whatever it reads, the verifier returns a report; it never throws. A report names a problem
 * exactly when it is not ok, at a line that exists; an untouched export verifies, and an export
 * with any one byte changed never does. ({@link AuditVerifierTest} checks the classification of
 * each kind of tampering; this test checks that no input escapes it.)
 */
class AuditVerifierFuzzTest {
  private static final KeyPair KEYS = TestChain.newKeys();
  private static final KeyPair OTHER_KEYS = TestChain.newKeys();
  private static final String TRUSTED = TestChain.publicKey(KEYS);
  private static final String OTHER = TestChain.publicKey(OTHER_KEYS);

  private static final List<String> WORDS =
      List.of(
          "{",
          "}",
          "\"",
          ":",
          ",",
          "\n",
          "\r\n",
          "\\n",
          "\\u0000",
          "\\ud800",
          "null",
          "true",
          "false",
          "[]",
          "{}",
          "\"type\":\"record\"",
          "\"type\":\"checkpoint\"",
          "\"type\":\"export\"",
          "\"seq\":",
          "\"hash\":\"",
          "\"prev\":\"",
          "\"final\":true",
          "\"chain\":\"acme\"",
          "\"chain\":\"other\"",
          "0000000000000000000000000000000000000000000000000000000000000000",
          "\u00e9",
          "\ud83d\ude00",
          "\u0000",
          "\uffff");

  /**
   * One export's lines, changed by the edits listed, verified against a key (null: the export's
   * own).
   */
  private record Case(
      List<String> lines,
      byte[] bytes,
      List<String> edits,
      String trustedKey,
      boolean oneByteChanged) {
    @Override
    public String toString() {
      return "edits "
          + edits
          + ", trusted key "
          + (trustedKey == null ? "none" : trustedKey.equals(TRUSTED) ? "the signer's" : "another")
          + ", export "
          + Fuzz.literal(bytes);
    }
  }

  /**
   * Valid exports to tamper with, made once: signing is what costs most, and the tries are better
   * spent on the damage than on building chains.
   */
  private static final List<List<String>> EXPORTS = exports();

  private static List<List<String>> exports() {
    Random r = new Random(12);
    List<List<String>> exports = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      exports.add(List.copyOf(newExport(r)));
    }
    return List.copyOf(exports);
  }

  private static List<String> validExport(Random r) {
    return EXPORTS.get(r.nextInt(EXPORTS.size()));
  }

  /**
   * A valid export of a random chain: records, checkpoints, anchor copies; sometimes from an
   * anchor.
   */
  private static List<String> newExport(Random r) {
    TestChain c = new TestChain(r.nextInt(5) == 0 ? "_system" : "acme", KEYS);
    int n = r.nextInt(20);
    for (int i = 1; i <= n; i++) {
      c.record();
      if (r.nextInt(6) == 0) {
        String checkpoint = c.checkpoint();
        if (r.nextBoolean()) {
          c.append(checkpoint); // the anchor copy at the start of the next segment
        }
      }
    }
    List<String> export = c.export();
    // Retention: the export starts at an anchor checkpoint, the records before it expired.
    if (r.nextInt(4) == 0) {
      List<Integer> checkpoints = new ArrayList<>();
      for (int i = 1; i < export.size() - 1; i++) {
        if (export.get(i).startsWith("{\"type\":\"checkpoint\"")) {
          checkpoints.add(i);
        }
      }
      if (!checkpoints.isEmpty()) {
        int from = Mutations.pick(r, checkpoints);
        List<String> retained = new ArrayList<>(export.subList(0, 1));
        retained.addAll(export.subList(from, export.size()));
        export = retained;
      }
    }
    return export;
  }

  private static Case tampered(Random r) {
    List<String> lines = new ArrayList<>(validExport(r));
    String key =
        switch (r.nextInt(6)) {
          case 0 -> null;
          case 1 -> OTHER;
          default -> TRUSTED;
        };
    List<String> edits = new ArrayList<>();
    if (r.nextInt(10) == 0) {
      return new Case(lines, TestChain.bytes(lines), edits, key, false);
    }
    if (r.nextInt(4) == 0) {
      // One byte changed, to any other value: never undetected.
      byte[] b = TestChain.bytes(lines);
      int at = r.nextInt(b.length);
      byte was = b[at];
      do {
        b[at] = (byte) r.nextInt(256);
      } while (b[at] == was);
      edits.add("byte " + at + " " + (was & 0xff) + " -> " + (b[at] & 0xff));
      return new Case(lines, b, edits, key, true);
    }
    int n = 1 + r.nextInt(3);
    byte[] bytes = null;
    for (int e = 0; e < n; e++) {
      int i = r.nextInt(lines.size());
      switch (r.nextInt(12)) {
        case 0 -> {
          lines.remove(i);
          edits.add("line " + (i + 1) + " deleted");
        }
        case 1 -> {
          lines.add(r.nextInt(lines.size() + 1), lines.get(i));
          edits.add("line " + (i + 1) + " repeated");
        }
        case 2 -> {
          String moved = lines.remove(i);
          lines.add(r.nextInt(lines.size() + 1), moved);
          edits.add("line " + (i + 1) + " moved");
        }
        case 3 -> {
          String l = lines.get(i);
          lines.set(i, l.substring(0, r.nextInt(l.length() + 1)));
          edits.add("line " + (i + 1) + " cut");
        }
        case 4 -> {
          if (i + 1 < lines.size()) {
            lines.set(i, lines.get(i) + lines.remove(i + 1));
            edits.add("lines " + (i + 1) + " and " + (i + 2) + " joined");
          }
        }
        case 5, 6 -> {
          lines.set(i, recordEdited(r, lines.get(i), edits));
        }
        case 7, 8 -> {
          lines.set(i, checkpointEdited(r, lines.get(i), edits));
        }
        case 9 -> {
          lines.set(0, Mutations.mutate(r, lines.get(0), 2000, WORDS));
          edits.add("header mutated");
        }
        case 10 -> {
          lines.set(i, Mutations.mutate(r, lines.get(i), 4000, WORDS));
          edits.add("line " + (i + 1) + " mutated");
        }
        default -> {
          // a line of another export: another chain, or the same chain under another key
          TestChain other =
              new TestChain(
                  r.nextBoolean() ? "acme" : "other", r.nextBoolean() ? KEYS : OTHER_KEYS);
          for (int k = 0; k < 1 + r.nextInt(5); k++) {
            other.record();
          }
          List<String> foreign = other.export();
          lines.set(i, foreign.get(r.nextInt(foreign.size())));
          edits.add("line " + (i + 1) + " from another export");
        }
      }
      if (lines.isEmpty()) {
        break;
      }
    }
    bytes = TestChain.bytes(lines);
    if (r.nextInt(10) == 0) {
      bytes = java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length + 1));
      edits.add("cut to " + bytes.length + " bytes");
    } else if (r.nextInt(20) == 0) {
      bytes = new String(bytes, UTF_8).replace("\n", "\r\n").getBytes(UTF_8);
      edits.add("CRLF");
    }
    return new Case(lines, bytes, edits, key, false);
  }

  /** A record with one field changed and its hash recomputed: it passes the hash check. */
  private static String recordEdited(Random r, String line, List<String> edits) {
    ObjectNode n = parsed(line, "record");
    if (n == null || !n.has("seq")) {
      return line;
    }
    n.remove("hash");
    String field =
        Mutations.pick(
            r,
            List.of(
                "seq",
                "seq",
                "chain",
                "prev",
                "time",
                "type",
                "status",
                "principal",
                "extra",
                "remove"));
    switch (field) {
      case "seq" -> {
        long seq = n.get("seq").asLong();
        switch (r.nextInt(6)) {
          case 0 -> n.put("seq", seq + 1 + r.nextInt(3));
          case 1 -> n.put("seq", seq - 1 - r.nextInt(3));
          case 2 -> n.put("seq", r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE);
          case 3 -> n.put("seq", 1.5);
          case 4 -> n.put("seq", new java.math.BigInteger("99999999999999999999"));
          default -> n.put("seq", Long.toString(seq));
        }
      }
      case "chain" -> n.put("chain", r.nextBoolean() ? "other" : "");
      case "prev" ->
          n.put("prev", r.nextBoolean() ? TestChain.ZEROS : TestChain.sha256(line.getBytes(UTF_8)));
      case "time" ->
          n.put(
              "time",
              Mutations.pick(
                  r,
                  List.of(
                      "",
                      "yesterday",
                      "2026-13-01T00:00:00Z",
                      "+1000000000-01-01T00:00:00Z",
                      "-999999999-01-01T00:00:00Z",
                      "2026-11-23T10:15:02.123+01:00")));
      case "type" ->
          n.put("type", Mutations.pick(r, List.of("checkpoint", "export", "Record", "")));
      case "status" -> n.put("status", Mutations.pick(r, List.of("200", "-1", "1e3")));
      case "principal" -> n.put("principal", "root");
      case "extra" -> n.put("extra", 1);
      default -> n.remove(Mutations.pick(r, List.of("seq", "chain", "time", "prev", "type")));
    }
    // prev stays (or becomes) the last field before hash, as the format requires; sometimes not.
    if (n.has("prev") && r.nextInt(8) > 0) {
      n.set("prev", n.remove("prev"));
    }
    edits.add("record field " + field + " edited, hash recomputed");
    return TestChain.seal(n);
  }

  /**
   * The line as JSON when it is a line of that type (earlier edits may have broken it), else null.
   */
  private static ObjectNode parsed(String line, String type) {
    try {
      ObjectNode n = TestChain.parse(line);
      return type.equals(n.path("type").asText()) ? n : null;
    } catch (IllegalArgumentException | ClassCastException e) {
      return null;
    }
  }

  /** A checkpoint with a field changed and signed again (by the signer, or another key). */
  private static String checkpointEdited(Random r, String line, List<String> edits) {
    ObjectNode n = parsed(line, "checkpoint");
    if (n == null
        || !n.path("chain").isTextual()
        || !n.path("seq").canConvertToLong()
        || !n.path("hash").isTextual()
        || !n.path("time").isTextual()
        || !n.path("final").isBoolean()) {
      return line;
    }
    String chain = n.get("chain").asText();
    long seq = n.get("seq").asLong();
    String hash = n.get("hash").asText();
    String time = n.get("time").asText();
    boolean last = n.get("final").asBoolean();
    String field =
        Mutations.pick(r, List.of("seq", "seq", "hash", "time", "final", "chain", "key"));
    switch (field) {
      case "seq" ->
          seq =
              switch (r.nextInt(4)) {
                case 0 -> seq + 1 + r.nextInt(5);
                case 1 -> Math.max(0, seq - 1 - r.nextInt(5));
                case 2 -> 0;
                default -> r.nextBoolean() ? Long.MAX_VALUE : (1L << 40) + seq;
              };
      case "hash" ->
          hash = r.nextBoolean() ? TestChain.ZEROS : TestChain.sha256(line.getBytes(UTF_8));
      case "time" -> time = TestChain.EXPORTED_AT;
      case "final" -> last = !last;
      case "chain" -> chain = "other";
      default -> {}
    }
    KeyPair signer = field.equals("key") || r.nextInt(10) == 0 ? OTHER_KEYS : KEYS;
    edits.add(
        "checkpoint field "
            + field
            + " edited, signed again"
            + (signer == KEYS ? "" : " by another key"));
    return TestChain.checkpoint(chain, seq, hash, time, last, signer, TestChain.publicKey(signer));
  }

  /**
   * @param longestFile the most lines a file has (a problem's line is in one file)
   * @param lines the lines of all files
   */
  private static void assertConsistent(VerifyReport report, int longestFile, int lines) {
    assertThat(report).isNotNull();
    assertThat(report.ok()).isEqualTo(report.problem() == null);
    if (report.problem() != null) {
      assertThat(report.problem().line())
          .as("the problem's line")
          .isBetween(0L, (long) longestFile);
      assertThat(report.problem().message()).isNotBlank();
    }
    assertThat(report.records()).as("records").isBetween(0L, (long) lines);
    assertThat(report.lastSeq()).as("last seq").isGreaterThanOrEqualTo(report.firstSeq());
    assertThat(report.describe()).isNotBlank();
  }

  /** The lines in {@code bytes}, the last one counted even without its newline. */
  private static int lineCount(byte[] bytes) {
    int n = 1;
    for (byte b : bytes) {
      n += b == '\n' ? 1 : 0;
    }
    return n;
  }

  private static String verify(Case c) throws IOException {
    VerifyReport report =
        AuditVerifier.verifyExport(new ByteArrayInputStream(c.bytes()), c.trustedKey());
    assertConsistent(report, lineCount(c.bytes()), lineCount(c.bytes()));
    if (c.edits().isEmpty()) {
      assertThat(report.ok())
          .as("an untouched export verifies: %s", report.describe())
          .isEqualTo(!OTHER.equals(c.trustedKey()));
    }
    if (c.oneByteChanged()) {
      assertThat(report.ok()).as("a changed byte went unnoticed").isFalse();
    }
    return report.ok() ? "ok" : report.problem().kind().name();
  }

  @Test
  void verifyExport_tamperedExports_returnAConsistentReport() {
    Fuzz.Outcomes o =
        Fuzz.of("audit-export", AuditVerifierFuzzTest::tampered)
            .tries(2500)
            .seed(9)
            .check(AuditVerifierFuzzTest::verify);
    // The edits reach most of the verifier's findings, and some tampering is harmless
    // (a repeated checkpoint is an anchor copy; only the final checkpoint is required).
    assertThat(o.counts().keySet())
        .as("findings")
        .hasSizeGreaterThanOrEqualTo(Math.min(8, o.tries() / 100));
    assertThat(o.count("ok")).as("verified").isGreaterThanOrEqualTo(o.tries() / 50);
  }

  @Test
  void verifyExport_noise_isMalformedOrTruncated() {
    Fuzz.of(
            "audit-noise",
            r ->
                new Case(
                    List.of(),
                    r.nextBoolean()
                        ? Mutations.randomBytes(r, 3000)
                        : Mutations.mutate(r, TestChain.bytes(validExport(r)), 64 * 1024, WORDS),
                    List.of("noise"),
                    null,
                    false))
        .tries(2000)
        .seed(10)
        .check(AuditVerifierFuzzTest::verify);
  }

  // ---------------------------------------------------------------- segment directories

  @TempDir Path root;

  private final AtomicInteger dirs = new AtomicInteger();

  /** Segments: a tampered chain's lines cut into files, named as the writer does or otherwise. */
  private record Segments(
      List<String> names, List<List<String>> files, String dirName, String trustedKey) {
    @Override
    public String toString() {
      StringBuilder b =
          new StringBuilder("directory ")
              .append(dirName)
              .append(", trusted key ")
              .append(
                  trustedKey == null
                      ? "none"
                      : trustedKey.equals(TRUSTED) ? "the signer's" : "another");
      for (int i = 0; i < names.size(); i++) {
        b.append("\n  ")
            .append(names.get(i))
            .append(": ")
            .append(Fuzz.literal(String.join("\n", files.get(i))));
      }
      return b.toString();
    }
  }

  private static Segments segments(Random r) {
    Case c = tampered(r);
    // A directory holds no export header and no final checkpoint.
    List<String> lines =
        c.lines().size() > 2 ? c.lines().subList(1, c.lines().size() - 1) : c.lines();
    int count = 1 + r.nextInt(3);
    List<String> names = new ArrayList<>();
    List<List<String>> files = new ArrayList<>();
    int from = 0;
    for (int s = 0; s < count; s++) {
      int to = s == count - 1 ? lines.size() : from + r.nextInt(lines.size() - from + 1);
      List<String> part = new ArrayList<>(lines.subList(from, to));
      long firstSeq = 1 + from;
      String name =
          r.nextInt(3) > 0
              ? String.format("%020d.jsonl", firstSeq)
              : Mutations.pick(
                  r,
                  List.of(
                      "99999999999999999999.jsonl",
                      "09223372036854775808.jsonl",
                      "00000000000000000000.jsonl",
                      "x.jsonl",
                      "1.jsonl",
                      ".jsonl",
                      "a b.jsonl",
                      String.format("%020d.txt", firstSeq)));
      if (!names.contains(name)) {
        names.add(name);
        files.add(part);
      }
      from = to;
    }
    return new Segments(names, files, r.nextInt(4) > 0 ? "acme" : "other", c.trustedKey());
  }

  private String verify(Segments s) throws IOException {
    Path dir =
        Files.createDirectories(root.resolve("d" + dirs.incrementAndGet()).resolve(s.dirName()));
    int longest = 0;
    int lines = 0;
    for (int i = 0; i < s.names().size(); i++) {
      byte[] bytes = TestChain.bytes(s.files().get(i));
      Files.write(dir.resolve(s.names().get(i)), bytes);
      longest = Math.max(longest, lineCount(bytes));
      lines += lineCount(bytes);
    }
    VerifyReport report = AuditVerifier.verify(dir, s.trustedKey());
    assertConsistent(report, longest, lines);
    return report.ok() ? "ok" : report.problem().kind().name();
  }

  @Test
  void verify_tamperedSegmentDirectories_returnAConsistentReport() {
    Fuzz.Outcomes o =
        Fuzz.of("audit-segments", AuditVerifierFuzzTest::segments)
            .tries(1500)
            .seed(11)
            .check(this::verify);
    assertThat(o.count("ok")).as("verified").isGreaterThanOrEqualTo(o.tries() / 50);
  }
}
