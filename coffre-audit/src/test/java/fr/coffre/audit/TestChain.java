package fr.coffre.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds valid audit lines per docs/audit-format.md, independently of the writer (and of {@link
 * AuditLines}): its own JSON, SHA-256 and Ed25519 signing with a fresh JDK key pair. A chain is
 * built by appending records and checkpoints; {@link #export()} gives the lines of an export.
 */
final class TestChain {
  static final String ZEROS = "0".repeat(64);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Instant START = Instant.parse("2026-11-23T10:15:02.123Z");

  private final String chain;
  private KeyPair keys;
  private final List<String> lines = new ArrayList<>();
  private long seq;
  private String hash = ZEROS;
  private Instant clock = START;

  TestChain(String chain, KeyPair keys) {
    this.chain = chain;
    this.keys = keys;
  }

  /** Signs the checkpoints (and the export) from now on with {@code next}: a rotated key. */
  void useKeys(KeyPair next) {
    this.keys = next;
  }

  /** A fresh Ed25519 key pair. */
  static KeyPair newKeys() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Base64 of the key pair's SubjectPublicKeyInfo. */
  static String publicKey(KeyPair keys) {
    return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
  }

  /** The key pair's public key as PEM. */
  static String pem(KeyPair keys) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  String chain() {
    return chain;
  }

  KeyPair keys() {
    return keys;
  }

  /** The last record's number. */
  long seq() {
    return seq;
  }

  /** The last record's hash. */
  String hash() {
    return hash;
  }

  /** The lines appended so far (records and checkpoints). */
  List<String> lines() {
    return new ArrayList<>(lines);
  }

  /** Appends the next record with realistic event fields; returns its line. */
  String record() {
    return record(event(seq + 1));
  }

  /** Appends the next record with these event fields; returns its line. */
  String record(ObjectNode event) {
    clock = clock.plusMillis(1234);
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "record");
    n.put("chain", chain);
    n.put("seq", seq + 1);
    n.put("time", TIME.format(clock));
    n.setAll(event);
    n.put("prev", hash);
    String line = seal(n);
    seq++;
    hash = line.substring(line.length() - 66, line.length() - 2);
    lines.add(line);
    return line;
  }

  /** Appends a copy of a line (as the anchor at the start of a segment is); returns it. */
  String append(String line) {
    lines.add(line);
    return line;
  }

  /** Appends a (non-final) checkpoint of the chain as it is; returns its line. */
  String checkpoint() {
    return append(checkpointLine(false));
  }

  /** A checkpoint of the chain as it is, signed by its key, not appended. */
  String checkpointLine(boolean last) {
    clock = clock.plusMillis(500);
    // The final checkpoint is signed at the export's time, the header's exportedAt.
    return checkpoint(
        chain, seq, hash, last ? EXPORTED_AT : TIME.format(clock), last, keys, publicKey(keys));
  }

  /** A checkpoint line with these fields, signed by {@code signer}, carrying {@code key}. */
  static String checkpoint(
      String chain, long seq, String hash, String time, boolean last, KeyPair signer, String key) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "checkpoint");
    n.put("chain", chain);
    n.put("seq", seq);
    n.put("hash", hash);
    n.put("time", time);
    n.put("final", last);
    n.put("key", key);
    n.put(
        "signature",
        Base64.getEncoder().encodeToString(sign(signer, chain, seq, hash, time, last)));
    return write(n);
  }

  /** An Ed25519 signature over the six lines the format says. */
  static byte[] sign(
      KeyPair signer, String chain, long seq, String hash, String time, boolean last) {
    String message =
        "coffre-audit-checkpoint-v1\n"
            + chain
            + "\n"
            + seq
            + "\n"
            + hash
            + "\n"
            + time
            + "\n"
            + last;
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(signer.getPrivate());
      s.update(message.getBytes(StandardCharsets.UTF_8));
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static final String EXPORTED_AT = "2026-11-24T08:00:00.000Z";

  /** The export header, naming the chain's public key. */
  String header() {
    return header(chain, publicKey(keys));
  }

  static String header(String chain, String publicKey) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "export");
    n.put("format", "coffre-audit-export/1");
    n.put("chain", chain);
    n.put("exportedAt", EXPORTED_AT);
    n.put("publicKey", publicKey);
    return write(n);
  }

  /** The lines of an export of the chain as it is: header, lines, final checkpoint. */
  List<String> export() {
    List<String> export = new ArrayList<>();
    export.add(header());
    export.addAll(lines);
    export.add(checkpointLine(true));
    return export;
  }

  /** Lines joined, each followed by {@code \n}. */
  static byte[] bytes(List<String> lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String line : lines) {
      out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** A record line from its fields up to {@code prev}: the hash of those bytes appended. */
  static String seal(ObjectNode withoutHash) {
    String json = write(withoutHash);
    String body = json.substring(0, json.length() - 1);
    return body + ",\"hash\":\"" + sha256(body.getBytes(StandardCharsets.UTF_8)) + "\"}";
  }

  /** Parses a line (to edit one). */
  static ObjectNode parse(String line) {
    try {
      return (ObjectNode) JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static String write(ObjectNode n) {
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Event fields such as the server records, varied by {@code i}. */
  static ObjectNode event(long i) {
    ObjectNode e = JSON.createObjectNode();
    e.put("requestId", String.format("%016X", 0x5EED_0000_0000L + i * 7919));
    boolean admin = i % 7 == 4;
    e.put("source", admin ? "admin" : "s3");
    ObjectNode p = e.putObject("principal");
    if (admin) {
      p.put("type", "operator");
      p.put("operator", "ops@coffre.example");
    } else {
      p.put("type", i % 5 == 0 ? "root" : "user");
      p.put("tenant", "acme");
      p.put("account", "123456789012");
      if (i % 5 != 0) {
        p.put("user", "élodie");
      }
      p.put("accessKey", "CFAK" + (1000 + i % 3));
    }
    e.put("address", "192.0.2." + (i % 250));
    if (i % 2 == 0) {
      e.put("secure", true);
    }
    if (admin) {
      e.put("operation", "PUT /admin/v1/tenants/acme/users/élodie");
      ObjectNode details = e.putObject("details");
      details.putObject("before").put("name", "élodie").put("active", false);
      details.putObject("after").put("name", "élodie").put("active", true);
      e.put("status", 200);
    } else {
      String[] ops = {"PutObject", "GetObject", "DeleteObject", "HeadObject"};
      e.put("operation", ops[(int) (i % ops.length)]);
      e.put("bucket", "photos-2026");
      e.put("key", i % 3 == 0 ? "é/ü.txt" : "vacances/été " + i + "/plage ☀.jpg");
      e.put("versionId", "v" + i);
      boolean denied = i % 11 == 0;
      e.put("status", denied ? 403 : 200);
      if (denied) {
        e.put("error", "AccessDenied");
      }
    }
    e.put("bytesIn", i % 4 == 0 ? 1024 * i : 0);
    e.put("bytesOut", i % 4 == 1 ? 2048 * i : 0);
    return e;
  }
}
