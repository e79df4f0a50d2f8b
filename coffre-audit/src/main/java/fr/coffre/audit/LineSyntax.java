package fr.coffre.audit;

import static fr.coffre.audit.Source.malformed;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import fr.coffre.audit.LineReader.Line;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The syntax of one line: UTF-8, one strict JSON object (no duplicate keys, nothing after it), and
 * the fields of an export header, a record or a checkpoint present and well typed. What the fields
 * mean for the chain is {@link Chain}'s business.
 */
final class LineSyntax {
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private static final Set<String> HEADER_FIELDS =
      Set.of("type", "format", "chain", "exportedAt", "publicKey");
  private static final Set<String> CHECKPOINT_FIELDS =
      Set.of("type", "chain", "seq", "hash", "time", "final", "key", "signature");
  private static final Set<String> RECORD_STRINGS =
      Set.of(
          "type",
          "chain",
          "time",
          "requestId",
          "source",
          "address",
          "operation",
          "bucket",
          "key",
          "versionId",
          "error",
          "prev",
          "hash");
  private static final Set<String> RECORD_NUMBERS = Set.of("seq", "status", "bytesIn", "bytesOut");
  private static final Set<String> RECORD_OBJECTS = Set.of("principal", "details");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d{1,18})[,}]");

  /** The last bytes of a record's hashed part: {@code ,"prev":"<64 hex>"}. */
  private static final int PREV_TAIL = ",\"prev\":\"".length() + 64 + 1;

  private final Source source;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  LineSyntax(Source source) {
    this.source = source;
  }

  /** The line's JSON object, or a Finding saying why it is not one. */
  Object parse(Line l) {
    byte[] b = l.bytes();
    if (b.length == 0) {
      return malformed(l, null, source.where(l) + " is empty");
    }
    if (!utf8(b)) {
      return malformed(l, seqOf(b), source.where(l) + " is not valid UTF-8");
    }
    if (b[b.length - 1] == '\r') {
      return malformed(
          l,
          seqOf(b),
          source.where(l)
              + " ends with a carriage return (CRLF line endings?): lines "
              + "must end with \\n alone");
    }
    if (b[0] != '{' || b[b.length - 1] != '}') {
      return malformed(
          l,
          seqOf(b),
          source.where(l) + " is not a JSON object (it must begin with { and end with })");
    }
    JsonNode n;
    try {
      n = JSON.readTree(b);
    } catch (JacksonException e) {
      return malformed(
          l, seqOf(b), source.where(l) + " is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return malformed(l, seqOf(b), source.where(l) + " is not valid JSON: " + e.getMessage());
    }
    if (n == null || !n.isObject()) {
      return malformed(l, seqOf(b), source.where(l) + " is not a JSON object");
    }
    return n;
  }

  boolean utf8(byte[] b) {
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

  /**
   * Whether line 1 is an export header of this format, naming a chain and a time (not yet its key).
   */
  @Nullable Finding header(Line l, JsonNode n) {
    String type = n.path("type").isTextual() ? n.get("type").asText() : null;
    if (!"export".equals(type)) {
      String hint =
          "record".equals(type) || "checkpoint".equals(type)
              ? ", but a " + type + " (to verify a chain's segments, give their directory)"
              : "";
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
      return malformed(
          l,
          null,
          "unknown export format \""
              + n.get("format").asText()
              + "\" (this verifier reads "
              + AuditLines.EXPORT_FORMAT
              + ")");
    }
    if (n.get("chain").asText().isEmpty()) {
      return malformed(l, null, "the export header names no chain");
    }
    if (parseTime(n.get("exportedAt").asText()) == null) {
      return malformed(
          l, null, "the export header's exportedAt is not a time: " + n.get("exportedAt").asText());
    }
    return null;
  }

  /** Whether a checkpoint has its fields, well typed; {@code name} names it in messages. */
  @Nullable Finding checkpointFields(Line l, JsonNode n, @Nullable Long seq, String name) {
    Finding f = onlyFields(l, n, CHECKPOINT_FIELDS, "the checkpoint");
    if (f != null) {
      return f;
    }
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
    return null;
  }

  /**
   * Whether a record (whose bytes hash to {@code stored}) has its fields, well typed, with prev
   * just before hash; {@code name} names it in messages.
   */
  @Nullable Finding recordFields(Line l, JsonNode n, String name, String stored) {
    if (!n.path("hash").isTextual() || !stored.equals(n.get("hash").asText())) {
      return malformed(
          l, integral(n.get("seq")), name + ": its hash field is not its last 64 hex digits");
    }
    String tail =
        new String(
            l.bytes(),
            Math.max(0, l.bytes().length - AuditLines.HASH_SUFFIX_LENGTH - PREV_TAIL),
            Math.min(PREV_TAIL, Math.max(0, l.bytes().length - AuditLines.HASH_SUFFIX_LENGTH)),
            StandardCharsets.ISO_8859_1);
    if (!tail.startsWith(",\"prev\":\"")
        || !tail.endsWith("\"")
        || !HEX64.matcher(tail.substring(9, 73)).matches()) {
      return malformed(
          l,
          integral(n.get("seq")),
          name + ": prev (64 lowercase hex) must be the field just before " + "hash");
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
        return malformed(
            l, integral(n.get("seq")), name + " has an unknown field \"" + field + "\"");
      }
      if (!ok) {
        return malformed(
            l, integral(n.get("seq")), name + ": its " + field + " field has the wrong type");
      }
    }
    for (String field : List.of("chain", "seq", "time", "prev")) {
      if (!n.has(field)) {
        return malformed(l, integral(n.get("seq")), name + " has no " + field + " field");
      }
    }
    if (!n.get("prev").asText().equals(tail.substring(9, 73))) {
      return malformed(
          l, integral(n.get("seq")), name + ": its prev field is not the one just before hash");
    }
    if (n.get("seq").asLong() < 1) {
      return malformed(l, null, name + ": seq must be at least 1");
    }
    if (parseTime(n.get("time").asText()) == null) {
      return malformed(
          l, n.get("seq").asLong(), name + ": its time is not a time: " + n.get("time").asText());
    }
    return null;
  }

  private @Nullable Finding onlyFields(Line l, JsonNode n, Set<String> fields, String what) {
    for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        return malformed(
            l, null, source.where(l) + ": " + what + " has an unknown field \"" + name + "\"");
      }
    }
    for (String field : fields) {
      if (!n.has(field)) {
        return malformed(l, null, source.where(l) + ": " + what + " has no " + field + " field");
      }
    }
    return null;
  }

  /** The record number a line claims, read loosely (for messages about broken lines), or null. */
  static @Nullable Long seqOf(byte[] b) {
    Matcher m = SEQ.matcher(new String(b, StandardCharsets.ISO_8859_1));
    return m.find() ? Long.valueOf(m.group(1)) : null;
  }

  static @Nullable Long integral(@Nullable JsonNode n) {
    return n != null && n.isIntegralNumber() && n.canConvertToLong() ? n.asLong() : null;
  }

  static @Nullable Instant parseTime(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
