package fr.coffre.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The byte-level rules of the audit format (docs/audit-format.md) that the writer and the verifier
 * must agree on: how a record's hash is computed and what a checkpoint signs.
 */
public final class AuditLines {
  /** The export header's format name. */
  public static final String EXPORT_FORMAT = "coffre-audit-export/1";

  /** The format name of a cluster's export, the bundle of every node's part. */
  public static final String BUNDLE_FORMAT = "coffre-audit-bundle/1";

  /** The chain of events that belong to no tenant. */
  public static final String SYSTEM_CHAIN = "_system";

  /** The {@code prev} of a chain's first record, and the hash of an empty chain. */
  public static final String ZERO_HASH = "0".repeat(64);

  /** Length of the suffix {@code ,"hash":"<64 hex>"}} that closes every record line. */
  public static final int HASH_SUFFIX_LENGTH = 75;

  static final String HASH_PREFIX = ",\"hash\":\"";
  private static final String CHECKPOINT_CONTEXT = "coffre-audit-checkpoint-v1";
  private static final String BUNDLE_CONTEXT = "coffre-audit-bundle-v1";

  private AuditLines() {}

  /** The lowercase hex SHA-256 of {@code bytes[0, length)}. */
  public static String sha256Hex(byte[] bytes, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(bytes, 0, length);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The hash a record line claims to have: the bytes before its 75-byte hash suffix, hashed. Null
   * when the line (without its newline) does not end with a well-formed suffix.
   */
  public static @Nullable String computedHash(byte[] line) {
    int n = line.length;
    if (n < HASH_SUFFIX_LENGTH + 2) {
      return null;
    }
    int body = n - HASH_SUFFIX_LENGTH;
    String suffix = new String(line, body, HASH_SUFFIX_LENGTH, StandardCharsets.US_ASCII);
    if (!suffix.startsWith(HASH_PREFIX) || !suffix.endsWith("\"}")) {
      return null;
    }
    return sha256Hex(line, body);
  }

  /**
   * Closes a record body (the line up to {@code prev}'s value) with its hash suffix; returns the
   * line (no newline).
   */
  static byte[] seal(byte[] body, String[] hashOut) {
    String hash = sha256Hex(body, body.length);
    hashOut[0] = hash;
    byte[] suffix = (HASH_PREFIX + hash + "\"}").getBytes(StandardCharsets.US_ASCII);
    byte[] line = new byte[body.length + suffix.length];
    System.arraycopy(body, 0, line, 0, body.length);
    System.arraycopy(suffix, 0, line, body.length, suffix.length);
    return line;
  }

  /** The bytes a checkpoint's Ed25519 signature covers. */
  public static byte[] checkpointMessage(
      String chain, long seq, String hash, String time, boolean last) {
    return String.join(
            "\n", CHECKPOINT_CONTEXT, chain, Long.toString(seq), hash, time, Boolean.toString(last))
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The bytes a bundle's closing line signs (docs/audit-format.md, "Cluster exports"): the context,
   * chain, time, exporting node and completeness, then one line per part in order, {@code NODE SEQ
   * HASH KEY} for a part present (its final checkpoint and its signing key) or {@code NODE missing
   * REASON}.
   */
  static byte[] bundleMessage(
      String chain, String time, String node, boolean complete, List<BundlePart> parts) {
    List<String> lines = new ArrayList<>();
    lines.add(BUNDLE_CONTEXT);
    lines.add(chain);
    lines.add(time);
    lines.add(node);
    lines.add(Boolean.toString(complete));
    for (BundlePart p : parts) {
      lines.add(
          p.missing() != null
              ? p.node() + " missing " + p.missing()
              : p.node() + " " + p.seq() + " " + p.hash() + " " + p.key());
    }
    return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
  }
}
