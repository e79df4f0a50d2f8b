package fr.coffre.audit;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import fr.coffre.audit.Finding.Kind;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The offline verifier of docs/audit-format.md: reads an export or a chain's segment directory line
 * by line (memory stays bounded: it keeps the chain's state and one line number per record, never
 * the lines) and reports the first problem, classified as the format's table says.
 *
 * <p>Records are checked on their stored bytes ({@link AuditLines#computedHash}); JSON is parsed only
 * to read fields, strictly (no duplicate keys, nothing after the object, UTF-8 only). Checkpoint
 * signatures are checked with the JDK's Ed25519 against the trusted key, or, when none is given,
 * against the key the lines carry (the report then says so, with that key's fingerprint).
 */
public final class AuditVerifier {
  private AuditVerifier() {}

  /**
   * Verifies an export file (its first line is the export header) or a chain's segment directory
   * ({@code DIR/*.jsonl} in name order: no header, no final checkpoint required; records after the
   * last checkpoint give a warning, not a failure).
   *
   * @param fileOrDir an export file or a segment directory
   * @param trustedPublicKey the server's signing key, PEM or base64 of its SubjectPublicKeyInfo; or
   *     null to check signatures against the export header's key (for a directory: the first
   *     checkpoint's key), with a warning
   * @throws IllegalArgumentException if {@code trustedPublicKey} is not an Ed25519 public key
   * @throws IOException if the file or directory cannot be read
   */
  public static VerifyReport verify(Path fileOrDir, String trustedPublicKey) throws IOException {
    SigningKey trusted = trustedPublicKey == null ? null : SigningKey.parse(trustedPublicKey);
    if (!Files.isDirectory(fileOrDir)) {
      try (InputStream in = Files.newInputStream(fileOrDir)) {
        return verifyExport(in, trusted);
      }
    }
    List<Path> segments;
    try (Stream<Path> files = Files.list(fileOrDir)) {
      segments = files
          .filter(p -> p.getFileName().toString().endsWith(".jsonl") && Files.isRegularFile(p))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    }
    Path name = fileOrDir.toAbsolutePath().normalize().getFileName();
    try (LineReader lines = new LineReader(segments)) {
      return new Run(lines, trusted, segments.stream().map(p -> p.getFileName().toString()).toList(),
          name == null ? null : name.toString(), fileOrDir.toString()).verify();
    }
  }

  /**
   * Verifies an export read from a stream (not closed).
   *
   * @param in the export's bytes
   * @param trustedPublicKey as for {@link #verify(Path, String)}
   * @throws IllegalArgumentException if {@code trustedPublicKey} is not an Ed25519 public key
   * @throws IOException if the stream cannot be read
   */
  public static VerifyReport verifyExport(InputStream in, String trustedPublicKey) throws IOException {
    return verifyExport(in, trustedPublicKey == null ? null : SigningKey.parse(trustedPublicKey));
  }

  private static VerifyReport verifyExport(InputStream in, SigningKey trusted) throws IOException {
    return new Run(new LineReader(in), trusted, null, null, null).verify();
  }

  /** One line as read: its bytes without the {@code \n}. */
  private record Line(int segment, long number, byte[] bytes, boolean terminated, boolean tooLong) {
    long location() {
      return Run.location(segment, number);
    }
  }

  /** Splits one stream, or a list of files one after the other, into lines of raw bytes. */
  private static final class LineReader implements Closeable {
    /** Longer lines are reported as malformed (and not kept). */
    static final int MAX_LINE = 32 << 20;
    private final Iterator<Path> files;
    private InputStream in;
    private int segment = -1;
    private long number;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private byte[] acc = new byte[1024];

    LineReader(InputStream in) {
      this.files = null;
      this.in = in;
      this.segment = 0;
    }

    LineReader(List<Path> files) {
      this.files = files.iterator();
    }

    /** The next line, or null after the last one. */
    Line next() throws IOException {
      while (true) {
        if (in == null) {
          if (files == null || !files.hasNext()) {
            return null;
          }
          in = Files.newInputStream(files.next());
          segment++;
          number = 0;
          pos = 0;
          lim = 0;
        }
        Line line = read();
        if (line != null) {
          return line;
        }
        if (files == null) {
          return null;
        }
        in.close();
        in = null;
      }
    }

    private Line read() throws IOException {
      int len = 0;
      boolean tooLong = false;
      boolean any = false;
      while (true) {
        if (pos == lim) {
          int n = in.read(buf);
          if (n < 0) {
            return any ? line(len, false, tooLong) : null;
          }
          pos = 0;
          lim = n;
        }
        any = true;
        int end = pos;
        while (end < lim && buf[end] != '\n') {
          end++;
        }
        int chunk = end - pos;
        if (!tooLong && len + (long) chunk > MAX_LINE) {
          tooLong = true;
        }
        if (!tooLong) {
          if (len + chunk > acc.length) {
            acc = Arrays.copyOf(acc, Math.max(len + chunk, Math.min(MAX_LINE, acc.length * 2)));
          }
          System.arraycopy(buf, pos, acc, len, chunk);
          len += chunk;
        }
        if (end < lim) {
          pos = end + 1;
          return line(len, true, tooLong);
        }
        pos = lim;
      }
    }

    private Line line(int len, boolean terminated, boolean tooLong) {
      number++;
      return new Line(segment, number, tooLong ? new byte[0] : Arrays.copyOf(acc, len), terminated, tooLong);
    }

    @Override
    public void close() throws IOException {
      if (in != null && files != null) {
        in.close();
      }
    }
  }

  /** An Ed25519 public key, with its canonical base64 SubjectPublicKeyInfo and its fingerprint. */
  private record SigningKey(PublicKey key, String base64, String fingerprint) {
    /** Parses a PEM or base64 key given by the user; IllegalArgumentException when it is not one. */
    static SigningKey parse(String text) {
      String s = text.strip();
      if (s.startsWith("-----BEGIN")) {
        if (!s.startsWith("-----BEGIN PUBLIC KEY-----") || !s.endsWith("-----END PUBLIC KEY-----")) {
          throw new IllegalArgumentException(
              "not a PEM public key (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)");
        }
        s = s.substring("-----BEGIN PUBLIC KEY-----".length(), s.length() - "-----END PUBLIC KEY-----".length());
      }
      byte[] der;
      try {
        der = Base64.getDecoder().decode(s.replaceAll("\\s+", ""));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the public key is neither PEM nor base64: " + e.getMessage(), e);
      }
      SigningKey key = of(der);
      if (key == null) {
        throw new IllegalArgumentException("not an Ed25519 public key (base64 of its X.509 SubjectPublicKeyInfo)");
      }
      return key;
    }

    /** The key a line carries: canonical base64 of an Ed25519 SubjectPublicKeyInfo, else null. */
    static SigningKey fromLine(String base64) {
      byte[] der = canonicalBase64(base64);
      SigningKey key = der == null ? null : of(der);
      return key != null && key.base64.equals(base64) ? key : null;
    }

    private static SigningKey of(byte[] der) {
      try {
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        byte[] encoded = key.getEncoded();
        return new SigningKey(key, Base64.getEncoder().encodeToString(encoded),
            AuditLines.sha256Hex(encoded, encoded.length));
      } catch (InvalidKeySpecException | RuntimeException e) {
        return null;
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("this JDK has no Ed25519", e);
      }
    }

    boolean verifies(Signature s, byte[] message, byte[] signature) {
      try {
        s.initVerify(key);
        s.update(message);
        return s.verify(signature);
      } catch (SignatureException | InvalidKeyException e) {
        return false;
      }
    }
  }

  /** The bytes of standard, padded base64 that is the only encoding of them; else null. */
  private static byte[] canonicalBase64(String text) {
    try {
      byte[] bytes = Base64.getDecoder().decode(text);
      return Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Growable list of longs: each record's location, by {@code seq - firstSeq}. */
  private static final class LongList {
    private long[] values = new long[1024];
    private int size;

    void add(long v) {
      if (size == values.length) {
        if (size >= Integer.MAX_VALUE - 16) {
          return;
        }
        values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 16L, size * 2L));
      }
      values[size++] = v;
    }

    /** The value at {@code i}, or -1 when not kept. */
    long get(long i) {
      return i >= 0 && i < size ? values[(int) i] : -1;
    }
  }

  /** What a scan of the lines after a problem found, to classify it. */
  private record Ahead(long equalLoc, long inRangeLoc, long inRangeSeq, long aboveLoc) {}

  /** One verification: the chain's state, fed line by line. */
  private static final class Run {
    private static final ObjectMapper JSON = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
    private static final Set<String> HEADER_FIELDS = Set.of("type", "format", "chain", "exportedAt", "publicKey");
    private static final Set<String> CHECKPOINT_FIELDS =
        Set.of("type", "chain", "seq", "hash", "time", "final", "key", "signature");
    private static final Set<String> RECORD_STRINGS = Set.of(
        "type", "chain", "time", "requestId", "source", "address", "operation", "bucket", "key", "versionId",
        "error", "prev", "hash");
    private static final Set<String> RECORD_NUMBERS = Set.of("seq", "status", "bytesIn", "bytesOut");
    private static final Set<String> RECORD_OBJECTS = Set.of("principal", "details");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d{1,18})[,}]");
    private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.jsonl");
    /** The last bytes of a record's hashed part: {@code ,"prev":"<64 hex>"}. */
    private static final int PREV_TAIL = ",\"prev\":\"".length() + 64 + 1;

    private final LineReader lines;
    private final SigningKey trusted;
    /** Segment file names (directory mode), or null for an export. */
    private final List<String> segments;
    private final String dirName;
    private final String dirPath;
    private final boolean export;
    private final List<String> warnings = new ArrayList<>();
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);

    private String chain;
    private String exportedAt;
    private SigningKey key;
    // The chain's state: the last record (or the anchor when no record yet).
    private boolean started;
    private boolean anchoredOnly;
    private long anchorLoc;
    private long lastSeq;
    private String lastHash = AuditLines.ZERO_HASH;
    private long lastRecordLoc;
    private long records;
    private long firstSeq;
    private Instant firstTime;
    private Instant lastTime;
    private final LongList recordLocs = new LongList();
    private long checkpoints;
    private long coveredSeq = -1;
    private long lastCheckpointLoc = -1;
    private long finalLoc = -1;
    private Line lastLine;
    private int segment = -1;
    private boolean segmentNameChecked;
    private Signature ed25519;
    private byte[] lastCheckpointBytes;

    Run(LineReader lines, SigningKey trusted, List<String> segments, String dirName, String dirPath) {
      this.lines = lines;
      this.trusted = trusted;
      this.segments = segments;
      this.dirName = dirName;
      this.dirPath = dirPath;
      this.export = segments == null;
      this.key = trusted;
    }

    static long location(int segment, long number) {
      return ((long) segment << 40) | number;
    }

    VerifyReport verify() throws IOException {
      Finding problem = export ? header(lines.next()) : null;
      Line line;
      while (problem == null && (line = lines.next()) != null) {
        problem = line(line);
        lastLine = line;
      }
      if (problem == null) {
        problem = end();
      }
      return new VerifyReport(problem == null, chain, records, checkpoints, records > 0 ? firstSeq : 0,
          records > 0 ? lastSeq : 0, firstTime, lastTime, key == null ? null : key.fingerprint(),
          trusted == null, problem, warnings);
    }

    // ---- where things are, for messages

    private String where(long loc) {
      long number = loc & ((1L << 40) - 1);
      if (export) {
        return "line " + number;
      }
      return "line " + number + " of " + segments.get((int) (loc >>> 40));
    }

    private String where(Line l) {
      return where(l.location());
    }

    private static String missing(long from, long to) {
      return from == to ? "record " + from + " is missing" : "records " + from + " to " + to + " are missing";
    }

    private Finding finding(Kind kind, Line l, Long seq, String message) {
      return new Finding(kind, l == null ? 0 : l.number(), seq, message);
    }

    // ---- the export header

    private Finding header(Line l) {
      if (l == null) {
        return new Finding(Kind.TRUNCATED, 0, null, "the export is empty: not even its header line is there");
      }
      lastLine = l;
      if (!l.terminated()) {
        return finding(Kind.TRUNCATED, l, null, "the export ends in the middle of its header (line 1)");
      }
      Object parsed = parse(l);
      if (parsed instanceof Finding f) {
        return f;
      }
      JsonNode n = (JsonNode) parsed;
      String type = n.path("type").isTextual() ? n.get("type").asText() : null;
      if (!"export".equals(type)) {
        String hint = "record".equals(type) || "checkpoint".equals(type)
            ? ", but a " + type + " (to verify a chain's segments, give their directory)" : "";
        return malformed(l, null, "line 1 is not an export header" + hint);
      }
      Finding f = onlyFields(l, n, HEADER_FIELDS, "the export header");
      if (f != null) {
        return f;
      }
      for (String field : HEADER_FIELDS) {
        if (!n.get(field).isTextual()) {
          return malformed(l, null, "the export header's " + field + " is not a string");
        }
      }
      if (!AuditLines.EXPORT_FORMAT.equals(n.get("format").asText())) {
        return malformed(l, null, "unknown export format \"" + n.get("format").asText() + "\" (this verifier reads "
            + AuditLines.EXPORT_FORMAT + ")");
      }
      if (n.get("chain").asText().isEmpty()) {
        return malformed(l, null, "the export header names no chain");
      }
      if (parseTime(n.get("exportedAt").asText()) == null) {
        return malformed(l, null, "the export header's exportedAt is not a time: " + n.get("exportedAt").asText());
      }
      chain = n.get("chain").asText();
      exportedAt = n.get("exportedAt").asText();
      SigningKey own = SigningKey.fromLine(n.get("publicKey").asText());
      if (own == null) {
        return malformed(l, null, "the export header's publicKey is not an Ed25519 public key (canonical base64 of "
            + "its X.509 SubjectPublicKeyInfo)");
      }
      if (trusted == null) {
        key = own;
        warnings.add("no trusted key was given: signatures were checked against the key in the export header "
            + "(SHA-256 " + own.fingerprint() + "); compare it with the server's published key "
            + "(coffre admin signing-key)");
      } else if (!trusted.base64().equals(own.base64())) {
        return finding(Kind.BAD_CHECKPOINT, l, null, "the export was not signed with the trusted key: its header "
            + "names the key SHA-256 " + own.fingerprint() + ", the trusted key is SHA-256 " + trusted.fingerprint());
      }
      return null;
    }

    // ---- one line

    private Finding line(Line l) throws IOException {
      if (l.segment() != segment) {
        newSegment(l.segment());
      }
      if (finalLoc >= 0) {
        return finding(Kind.INSERTED, l, seqOf(l.bytes()), where(l) + " comes after the export's final checkpoint ("
            + where(finalLoc) + "): nothing may follow it");
      }
      if (!l.terminated()) {
        if (export) {
          return finding(Kind.TRUNCATED, l, records > 0 ? lastSeq : null, "the export ends in the middle of "
              + where(l) + " (no final newline): it was cut" + (records > 0 ? " after record " + lastSeq : ""));
        }
        if (l.segment() == segments.size() - 1) {
          warnings.add("the last line of " + segments.get(l.segment()) + " (line " + l.number()
              + ") is incomplete (still being written, or cut): it was not verified");
          return null;
        }
        return finding(Kind.TRUNCATED, l, records > 0 ? lastSeq : null, "segment " + segments.get(l.segment())
            + " ends in the middle of line " + l.number() + " (no final newline), and other segments follow it");
      }
      if (l.tooLong()) {
        return malformed(l, null, where(l) + " is longer than " + (LineReader.MAX_LINE >> 20) + " MiB");
      }
      Object parsed = parse(l);
      if (parsed instanceof Finding f) {
        return f;
      }
      JsonNode n = (JsonNode) parsed;
      String type = n.path("type").isTextual() ? n.get("type").asText() : null;
      if (!export && l.number() == 1 && l.segment() > 0 && lastLine != null && !"checkpoint".equals(type)) {
        warnings.add("segment " + segments.get(l.segment()) + " does not begin with an anchor checkpoint");
      }
      if ("record".equals(type)) {
        return record(l, n);
      }
      if ("checkpoint".equals(type)) {
        return checkpoint(l, n);
      }
      if ("export".equals(type)) {
        return malformed(l, null, where(l) + " is an export header: only the first line of an export may be one");
      }
      return malformed(l, seqOf(l.bytes()), where(l) + " has " + (type == null ? "no type" : "an unknown type \""
          + type + "\"") + " (record or checkpoint expected)");
    }

    private void newSegment(int next) {
      for (int s = segment + 1; s < next; s++) {
        warnings.add("segment " + segments.get(s) + " is empty");
      }
      segment = next;
      segmentNameChecked = false;
    }

    /** The line's JSON object, or a Finding saying why it is not one. */
    private Object parse(Line l) {
      byte[] b = l.bytes();
      if (b.length == 0) {
        return malformed(l, null, where(l) + " is empty");
      }
      if (!utf8(b)) {
        return malformed(l, seqOf(b), where(l) + " is not valid UTF-8");
      }
      if (b[b.length - 1] == '\r') {
        return malformed(l, seqOf(b), where(l) + " ends with a carriage return (CRLF line endings?): lines must end "
            + "with \\n alone");
      }
      if (b[0] != '{' || b[b.length - 1] != '}') {
        return malformed(l, seqOf(b), where(l) + " is not a JSON object (it must begin with { and end with })");
      }
      JsonNode n;
      try {
        n = JSON.readTree(b);
      } catch (JacksonException e) {
        return malformed(l, seqOf(b), where(l) + " is not valid JSON: " + e.getOriginalMessage());
      } catch (IOException e) {
        return malformed(l, seqOf(b), where(l) + " is not valid JSON: " + e.getMessage());
      }
      if (n == null || !n.isObject()) {
        return malformed(l, seqOf(b), where(l) + " is not a JSON object");
      }
      return n;
    }

    private boolean utf8(byte[] b) {
      for (byte x : b) {
        if (x < 0) {
          try {
            utf8.reset().decode(ByteBuffer.wrap(b));
            return true;
          } catch (CharacterCodingException e) {
            return false;
          }
        }
      }
      return true;
    }

    private Finding malformed(Line l, Long seq, String message) {
      return finding(Kind.MALFORMED, l, seq, message);
    }

    private Finding onlyFields(Line l, JsonNode n, Set<String> fields, String what) {
      for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!fields.contains(name)) {
          return malformed(l, null, where(l) + ": " + what + " has an unknown field \"" + name + "\"");
        }
      }
      for (String field : fields) {
        if (!n.has(field)) {
          return malformed(l, null, where(l) + ": " + what + " has no " + field + " field");
        }
      }
      return null;
    }

    /** The record number a line claims, read loosely (for messages about broken lines), or null. */
    private static Long seqOf(byte[] b) {
      Matcher m = SEQ.matcher(new String(b, StandardCharsets.ISO_8859_1));
      return m.find() ? Long.valueOf(m.group(1)) : null;
    }

    private static Long integral(JsonNode n) {
      return n != null && n.isIntegralNumber() && n.canConvertToLong() ? n.asLong() : null;
    }

    private static Instant parseTime(String text) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        return null;
      }
    }

    // ---- records

    private Finding record(Line l, JsonNode n) throws IOException {
      byte[] b = l.bytes();
      Long claimed = integral(n.get("seq"));
      String name = claimed == null ? "the record at " + where(l) : "record " + claimed + " (" + where(l) + ")";
      String computed = AuditLines.computedHash(b);
      if (computed == null) {
        return finding(Kind.MODIFIED, l, claimed, name + " was modified: it does not end with its hash "
            + "(,\"hash\":\"<64 hex>\"})");
      }
      String stored = new String(b, b.length - 66, 64, StandardCharsets.US_ASCII);
      if (!computed.equals(stored)) {
        String hint = started && claimed != null && claimed != lastSeq + 1
            ? " (record " + (lastSeq + 1) + " was expected here: its seq may be what was changed)" : "";
        return finding(Kind.MODIFIED, l, claimed, name + " was modified: its content does not match its hash" + hint);
      }
      Finding f = recordFields(l, n, name, stored);
      if (f != null) {
        return f;
      }
      long seq = claimed;
      if (!chain(l, n.get("chain").asText())) {
        return finding(Kind.WRONG_CHAIN, l, seq, name + " belongs to chain \"" + n.get("chain").asText()
            + "\", not \"" + chain + "\"");
      }
      String prev = n.get("prev").asText();
      if (!started) {
        if (seq != 1) {
          return gap(l, 1, seq, Kind.MISSING_START);
        }
        if (!prev.equals(AuditLines.ZERO_HASH)) {
          return finding(Kind.MODIFIED, l, seq, "the chain is broken at record 1 (" + where(l) + "): its prev is not "
              + "64 zeros, so something was removed before it or it was rewritten");
        }
      } else if (seq == lastSeq + 1) {
        if (!prev.equals(lastHash)) {
          return anchoredOnly
              ? finding(Kind.MISSING_START, l, seq, "record " + seq + " (" + where(l) + ") does not link to the "
                  + "anchor checkpoint (" + where(anchorLoc) + "): its prev is not the hash the anchor signs for "
                  + "record " + lastSeq + ", so the start of the chain was replaced")
              : finding(Kind.MODIFIED, l, seq, "the chain is broken between record " + lastSeq + " ("
                  + where(lastRecordLoc) + ") and record " + seq + " (" + where(l) + "): record " + seq + "'s prev is "
                  + "not record " + lastSeq + "'s hash, so one of them was rewritten with a recomputed hash, or record "
                  + seq + " was replaced");
        }
      } else if (seq > lastSeq + 1) {
        return gap(l, lastSeq + 1, seq, anchoredOnly ? Kind.MISSING_START : Kind.DELETED);
      } else {
        return duplicate(l, seq);
      }
      accept(l, seq, stored, parseTime(n.get("time").asText()));
      return null;
    }

    private Finding recordFields(Line l, JsonNode n, String name, String stored) {
      if (!n.path("hash").isTextual() || !stored.equals(n.get("hash").asText())) {
        return malformed(l, integral(n.get("seq")), name + ": its hash field is not its last 64 hex digits");
      }
      String tail = new String(l.bytes(), Math.max(0, l.bytes().length - AuditLines.HASH_SUFFIX_LENGTH - PREV_TAIL),
          Math.min(PREV_TAIL, Math.max(0, l.bytes().length - AuditLines.HASH_SUFFIX_LENGTH)),
          StandardCharsets.ISO_8859_1);
      if (!tail.startsWith(",\"prev\":\"") || !tail.endsWith("\"") || !HEX64.matcher(tail.substring(9, 73)).matches()) {
        return malformed(l, integral(n.get("seq")), name + ": prev (64 lowercase hex) must be the field just before "
            + "hash");
      }
      for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
        String field = names.next();
        JsonNode v = n.get(field);
        boolean ok;
        if (RECORD_STRINGS.contains(field)) {
          ok = v.isTextual();
        } else if (RECORD_NUMBERS.contains(field)) {
          ok = integral(v) != null && v.asLong() >= 0;
        } else if (RECORD_OBJECTS.contains(field)) {
          ok = v.isObject();
        } else if (field.equals("secure")) {
          ok = v.isBoolean();
        } else {
          return malformed(l, integral(n.get("seq")), name + " has an unknown field \"" + field + "\"");
        }
        if (!ok) {
          return malformed(l, integral(n.get("seq")), name + ": its " + field + " field has the wrong type");
        }
      }
      for (String field : List.of("chain", "seq", "time", "prev")) {
        if (!n.has(field)) {
          return malformed(l, integral(n.get("seq")), name + " has no " + field + " field");
        }
      }
      if (!n.get("prev").asText().equals(tail.substring(9, 73))) {
        return malformed(l, integral(n.get("seq")), name + ": its prev field is not the one just before hash");
      }
      if (n.get("seq").asLong() < 1) {
        return malformed(l, null, name + ": seq must be at least 1");
      }
      if (parseTime(n.get("time").asText()) == null) {
        return malformed(l, n.get("seq").asLong(), name + ": its time is not a time: " + n.get("time").asText());
      }
      return null;
    }

    /** Whether a line's chain is the one verified (the first line names it for a directory). */
    private boolean chain(Line l, String lineChain) {
      if (chain == null) {
        chain = lineChain;
        if (dirName != null && !dirName.equals(lineChain)) {
          warnings.add("the lines belong to chain \"" + lineChain + "\" but the directory is named \"" + dirName
              + "\" (segments live in DATA/audit/<chain>/)");
        }
      }
      return chain.equals(lineChain);
    }

    private void accept(Line l, long seq, String hash, Instant time) {
      if (records == 0) {
        firstSeq = seq;
        firstTime = time;
      }
      if (!export && !segmentNameChecked) {
        segmentNameChecked = true;
        Matcher m = SEGMENT_NAME.matcher(segments.get(l.segment()));
        if (m.matches() && Long.parseLong(m.group(1)) != seq) {
          warnings.add("segment " + segments.get(l.segment()) + " is named after record " + Long.parseLong(m.group(1))
              + " but its first record is " + seq);
        }
      }
      records++;
      lastSeq = seq;
      lastHash = hash;
      lastRecordLoc = l.location();
      lastTime = time;
      started = true;
      anchoredOnly = false;
      recordLocs.add(lastRecordLoc);
    }

    /** Record {@code got} came where {@code expected} should: missing, reordered, or an inserted copy. */
    private Finding gap(Line l, long expected, long got, Kind missing) throws IOException {
      Ahead a = scan(expected, got - 1, got, true);
      if (a.equalLoc() >= 0) {
        return finding(Kind.INSERTED, l, got, "record " + got + " appears twice: at " + where(l) + ", where record "
            + expected + " was expected, and again at " + where(a.equalLoc()) + ": one of them was inserted");
      }
      if (a.inRangeLoc() >= 0) {
        return finding(Kind.REORDERED, l, got, "records are out of order: record " + got + " (" + where(l)
            + ") comes before record " + a.inRangeSeq() + " (" + where(a.inRangeLoc()) + ")");
      }
      if (missing == Kind.DELETED) {
        return finding(Kind.DELETED, l, expected, missing(expected, got - 1) + ": record " + got + " ("
            + where(l) + ") follows record " + lastSeq + " (" + where(lastRecordLoc) + ")");
      }
      if (anchoredOnly) {
        return finding(Kind.MISSING_START, l, expected, "the chain starts at record " + got + " (" + where(l)
            + "), but the anchor checkpoint before it (" + where(anchorLoc) + ") is for record " + lastSeq + ": "
            + missing(expected, got - 1));
      }
      return finding(Kind.MISSING_START, l, expected, "the chain starts at record " + got + " (" + where(l) + "): "
          + missing(1, got - 1) + ", and no signed anchor checkpoint for record " + (got - 1) + " precedes it");
    }

    private Finding duplicate(Line l, long seq) {
      long first = records == 0 ? -1 : recordLocs.get(seq - firstSeq);
      if (records == 0 || seq < firstSeq) {
        return finding(Kind.INSERTED, l, seq, "record " + seq + " (" + where(l) + ") comes before the start of the "
            + "chain here: the anchor checkpoint (" + where(anchorLoc) + ") already covers records up to "
            + (records == 0 ? lastSeq : firstSeq - 1));
      }
      return finding(Kind.INSERTED, l, seq, "record " + seq + " appears twice: at "
          + (first >= 0 ? where(first) : "an earlier line") + " and again at " + where(l) + ", after record "
          + lastSeq + ": one of them was inserted");
    }

    /**
     * Reads the remaining lines for records of this chain: the first with seq {@code equal}, the
     * first with seq in {@code [from, to]}, the first above {@code to}. Stops at the first {@code
     * equal} (if {@code stopAtEqual}) or, otherwise, at the first in range.
     */
    private Ahead scan(long from, long to, long equal, boolean stopAtEqual) throws IOException {
      long equalLoc = -1;
      long inRangeLoc = -1;
      long inRangeSeq = -1;
      long aboveLoc = -1;
      Line l;
      while ((l = lines.next()) != null) {
          if (!l.terminated() || l.tooLong() || l.bytes().length == 0 || !utf8(l.bytes())) {
            continue;
          }
          JsonNode n;
          try {
            n = JSON.readTree(l.bytes());
          } catch (IOException e) {
            continue;
          }
          Long seq = n == null ? null : integral(n.get("seq"));
          if (seq == null || !"record".equals(n.path("type").asText()) || !chain.equals(n.path("chain").asText())) {
            continue;
          }
          if (seq == equal && equalLoc < 0) {
            equalLoc = l.location();
            if (stopAtEqual) {
              break;
            }
          }
          if (seq >= from && seq <= to && inRangeLoc < 0) {
            inRangeLoc = l.location();
            inRangeSeq = seq;
            if (!stopAtEqual) {
              break;
            }
          }
          if (seq > to && aboveLoc < 0) {
            aboveLoc = l.location();
          }
      }
      return new Ahead(equalLoc, inRangeLoc, inRangeSeq, aboveLoc);
    }

    // ---- checkpoints

    private Finding checkpoint(Line l, JsonNode n) throws IOException {
      Finding f = onlyFields(l, n, CHECKPOINT_FIELDS, "the checkpoint");
      if (f != null) {
        return f;
      }
      Long seq = integral(n.get("seq"));
      String name = "the checkpoint at " + where(l) + (seq == null ? "" : " (record " + seq + ")");
      for (String field : List.of("chain", "hash", "time", "key", "signature")) {
        if (!n.get(field).isTextual()) {
          return malformed(l, seq, name + ": its " + field + " is not a string");
        }
      }
      if (seq == null || seq < 0) {
        return malformed(l, null, name + ": its seq is not a record count");
      }
      String hash = n.get("hash").asText();
      String time = n.get("time").asText();
      if (!HEX64.matcher(hash).matches()) {
        return malformed(l, seq, name + ": its hash is not 64 lowercase hex digits");
      }
      if (parseTime(time) == null) {
        return malformed(l, seq, name + ": its time is not a time: " + time);
      }
      if (!n.get("final").isBoolean()) {
        return malformed(l, seq, name + ": its final is not true or false");
      }
      boolean last = n.get("final").asBoolean();
      String lineChain = n.get("chain").asText();
      if (!chain(l, lineChain)) {
        return finding(Kind.WRONG_CHAIN, l, seq, name + " belongs to chain \"" + lineChain + "\", not \"" + chain
            + "\"");
      }
      // An anchor repeats the checkpoint that closed the previous segment byte for byte: verified already.
      if (!Arrays.equals(l.bytes(), lastCheckpointBytes)) {
        f = signature(l, n, seq, hash, time, last, name);
        if (f != null) {
          return f;
        }
      }
      if (last && !export) {
        return finding(Kind.BAD_CHECKPOINT, l, seq, name + " is marked final, but final checkpoints only close "
            + "exports, never segments");
      }
      if (last && !time.equals(exportedAt)) {
        // The final checkpoint is signed at the moment of the export: its signed time is the header's.
        return finding(Kind.BAD_CHECKPOINT, l, seq, name + " was signed at " + time + " but the header says the export"
            + " was made at " + exportedAt);
      }
      if (seq == 0 && !hash.equals(AuditLines.ZERO_HASH)) {
        return finding(Kind.BAD_CHECKPOINT, l, seq, name + " covers no record but its hash is not 64 zeros");
      }
      f = covers(l, seq, hash, last, name);
      if (f != null) {
        return f;
      }
      checkpoints++;
      lastCheckpointBytes = l.bytes();
      coveredSeq = seq;
      lastCheckpointLoc = l.location();
      if (last) {
        finalLoc = l.location();
      }
      return null;
    }

    private Signature ed25519() {
      if (ed25519 == null) {
        try {
          ed25519 = Signature.getInstance("Ed25519");
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("this JDK has no Ed25519", e);
        }
      }
      return ed25519;
    }

    private Finding signature(Line l, JsonNode n, long seq, String hash, String time, boolean last, String name) {
      String lineKey = n.get("key").asText();
      if (key == null) {
        SigningKey own = SigningKey.fromLine(lineKey);
        if (own == null) {
          return finding(Kind.BAD_CHECKPOINT, l, seq, name + ": its key is not an Ed25519 public key (canonical "
              + "base64 of its X.509 SubjectPublicKeyInfo)");
        }
        key = own;
        warnings.add("no trusted key was given: signatures were checked against the key of the first checkpoint ("
            + where(l) + ", SHA-256 " + own.fingerprint() + "); compare it with the server's published key "
            + "(coffre admin signing-key)");
      }
      if (!lineKey.equals(key.base64())) {
        SigningKey other = SigningKey.fromLine(lineKey);
        return finding(Kind.BAD_CHECKPOINT, l, seq, name + " was signed with another key ("
            + (other == null ? "not a valid Ed25519 key" : "SHA-256 " + other.fingerprint()) + ") than the "
            + (trusted == null ? "export's key" : "trusted key") + " (SHA-256 " + key.fingerprint() + ")");
      }
      byte[] signature = canonicalBase64(n.get("signature").asText());
      if (signature == null || signature.length != 64
          || !key.verifies(ed25519(), AuditLines.checkpointMessage(chain, seq, hash, time, last), signature)) {
        return finding(Kind.BAD_CHECKPOINT, l, seq, name + " has a signature that does not verify under the "
            + (trusted == null ? "export's key" : "trusted key") + ": the checkpoint was forged, or its chain, seq, "
            + "hash, time or final was edited");
      }
      return null;
    }

    /** Whether a (signed) checkpoint commits to the records before it. */
    private Finding covers(Line l, long seq, String hash, boolean last, String name) throws IOException {
      if (!started) {
        if (last && seq > 0) {
          return finding(Kind.TRUNCATED, l, null, "the export holds no record, but its final checkpoint (" + where(l)
              + ") covers " + seq + " records");
        }
        started = true;
        anchoredOnly = true;
        anchorLoc = l.location();
        lastSeq = seq;
        lastHash = hash;
        if (seq > 0) {
          warnings.add("the chain starts after record " + seq + ": records 1 to " + seq + " are not here (expired "
              + "by retention, or removed); the anchor checkpoint at " + where(l) + " vouches for them");
        }
        return null;
      }
      if (seq == lastSeq) {
        if (hash.equals(lastHash)) {
          return null;
        }
        return finding(Kind.BAD_CHECKPOINT, l, seq, name + " signs hash " + hash + " for record " + seq + ", but "
            + (anchoredOnly ? "the anchor checkpoint (" + where(anchorLoc) + ") signs " + lastHash
                : "record " + seq + " (" + where(lastRecordLoc) + ") has hash " + lastHash)
            + ": the records it covers were rewritten, or the checkpoint comes from another copy of the chain");
      }
      if (seq < lastSeq) {
        return finding(Kind.BAD_CHECKPOINT, l, seq, name + " covers records up to " + seq + ", but records up to "
            + lastSeq + " (" + where(lastRecordLoc) + ") precede it: records were inserted before it, or the "
            + "checkpoint was moved or copied from earlier in the chain");
      }
      Ahead a = scan(lastSeq + 1, seq, -1, false);
      String after = records > 0 ? "record " + lastSeq + " (" + where(lastRecordLoc) + ")"
          : "the anchor checkpoint for record " + lastSeq + " (" + where(anchorLoc) + ")";
      if (a.inRangeLoc() >= 0) {
        return finding(Kind.REORDERED, l, a.inRangeSeq(), "records are out of order: " + name + " covers records up "
            + "to " + seq + ", but record " + a.inRangeSeq() + " comes after it (" + where(a.inRangeLoc()) + ")");
      }
      if (a.aboveLoc() >= 0) {
        return finding(Kind.DELETED, l, lastSeq + 1, missing(lastSeq + 1, seq) + ": " + name
            + " covers records up to " + seq + ", but the last record before it is " + after);
      }
      return finding(Kind.TRUNCATED, l, records > 0 ? lastSeq : null, "the chain was truncated after " + after + ": "
          + name + " covers records up to " + seq + ", and " + missing(lastSeq + 1, seq));
    }

    // ---- the end

    private Finding end() {
      if (export) {
        if (finalLoc >= 0) {
          return null;
        }
        if (lastLine == null || lastLine.number() == 1) {
          return finding(Kind.TRUNCATED, lastLine, null, "the export ends after its header (line 1): its lines and "
              + "its final checkpoint are missing");
        }
        String lastIs = lastCheckpointLoc == lastLine.location()
            ? "its last line (" + where(lastLine) + ") is a checkpoint, but not the final one"
            : "it does not end with its final checkpoint";
        return finding(Kind.TRUNCATED, lastLine, records > 0 ? lastSeq : null, "the export was truncated"
            + (records > 0 ? " after record " + lastSeq + " (" + where(lastRecordLoc) + ")" : "") + ": " + lastIs);
      }
      if (segments.isEmpty()) {
        return new Finding(Kind.TRUNCATED, 0, null, "no segment (*.jsonl) in " + dirPath);
      }
      newSegment(segments.size());
      if (lastLine == null) {
        warnings.add("the segments hold no line");
      }
      long uncovered = records == 0 ? 0 : lastSeq - Math.max(coveredSeq, firstSeq - 1);
      if (uncovered > 0) {
        warnings.add(uncovered + (uncovered == 1 ? " record" : " records") + " not yet covered by a checkpoint ("
            + (uncovered == 1 ? "record " + lastSeq : "records " + (lastSeq - uncovered + 1) + " to " + lastSeq)
            + "): nothing signed vouches for them yet");
      }
      return null;
    }
  }
}
