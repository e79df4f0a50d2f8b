package fr.coffre.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One custodian's share of a root key escrow, in a text form a person can read aloud and type back.
 *
 * <p>One line, fields separated by spaces: {@code coffre-share-1 key=<root key id> set=<8 hex>
 * custodian=<name> share=<index>/<count> threshold=<k> data=<hex, in groups of 4> check=<8 hex>}.
 * {@code key} names the root key the share belongs to, so a share of another key is refused before
 * any arithmetic; {@code set} names one escrow (one split): shares of two escrows of the same key
 * do not combine. {@code check} is the first 4 bytes of SHA-256 over the canonical line without it,
 * so a typing error is caught with the field it hides in unknown but certain. Parsing ignores lines
 * starting with {@code #}, line breaks, the case of hex and the grouping of {@code data}.
 *
 * <p>The share alone reveals nothing of the key (see {@link SecretSharing}); the other fields are
 * public labels.
 */
public final class EscrowShare {
  /** The first word of every share. */
  public static final String MAGIC = "coffre-share-1";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern KEY_ID = Pattern.compile("[a-z0-9]+:[A-Za-z0-9._:-]{1,128}");
  private static final Pattern SET_ID = Pattern.compile("[0-9a-f]{8}");
  private static final HexFormat HEX = HexFormat.of();
  private static final Set<String> FIELDS =
      Set.of("key", "set", "custodian", "share", "threshold", "data", "check");

  private final String keyId;
  private final String setId;
  private final String custodian;
  private final int index;
  private final int count;
  private final int threshold;
  private final byte[] data;

  /**
   * A share; every field is validated.
   *
   * @throws IllegalArgumentException naming the field and its value
   */
  public EscrowShare(
      String keyId,
      String setId,
      String custodian,
      int index,
      int count,
      int threshold,
      byte[] data) {
    if (!KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException("key id '" + keyId + "' is not a root key id");
    }
    if (!SET_ID.matcher(setId).matches()) {
      throw new IllegalArgumentException("set '" + setId + "' is not 8 lower-case hex digits");
    }
    checkCustodian(custodian);
    SecretSharing.checkParameters(threshold, count);
    if (index < 1 || index > count) {
      throw new IllegalArgumentException("share " + index + " is outside 1.." + count);
    }
    if (data.length == 0) {
      throw new IllegalArgumentException("share data is empty");
    }
    this.keyId = keyId;
    this.setId = setId;
    this.custodian = custodian;
    this.index = index;
    this.count = count;
    this.threshold = threshold;
    this.data = data.clone();
  }

  /** Refuses a custodian name that could not be a file name or a share field. */
  public static void checkCustodian(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "custodian name '"
              + name
              + "' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }

  public String keyId() {
    return keyId;
  }

  public String setId() {
    return setId;
  }

  public String custodian() {
    return custodian;
  }

  public int index() {
    return index;
  }

  public int count() {
    return count;
  }

  public int threshold() {
    return threshold;
  }

  /** A copy of the share's bytes (the polynomial's value at {@link #index}). */
  public byte[] data() {
    return data.clone();
  }

  /** The share as one line (see the class comment). */
  public String encode() {
    StringBuilder grouped = new StringBuilder();
    String hex = HEX.formatHex(data);
    for (int i = 0; i < hex.length(); i += 4) {
      if (i > 0) {
        grouped.append('-');
      }
      grouped.append(hex, i, Math.min(hex.length(), i + 4));
    }
    return canonical().replace("data=" + hex, "data=" + grouped) + " check=" + check();
  }

  private String canonical() {
    return MAGIC
        + " key="
        + keyId
        + " set="
        + setId
        + " custodian="
        + custodian
        + " share="
        + index
        + "/"
        + count
        + " threshold="
        + threshold
        + " data="
        + HEX.formatHex(data);
  }

  private String check() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
      return HEX.formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a share as {@link #encode} wrote it, or as a person typed it back.
   *
   * @throws IllegalArgumentException saying what is wrong (not a share, a field missing or
   *     malformed, the check not matching)
   */
  public static EscrowShare parse(String text) {
    StringBuilder body = new StringBuilder();
    for (String line : text.split("\\R")) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#")) {
        body.append(t).append(' ');
      }
    }
    String[] words = body.toString().strip().split("\\s+");
    if (words.length == 0 || !words[0].equals(MAGIC)) {
      throw new IllegalArgumentException(
          "not a Coffre root key share (it must start with '" + MAGIC + "')");
    }
    Map<String, StringBuilder> fields = new LinkedHashMap<>();
    @Nullable StringBuilder last = null;
    for (int i = 1; i < words.length; i++) {
      int eq = words[i].indexOf('=');
      if (eq > 0) {
        String name = words[i].substring(0, eq).toLowerCase(Locale.ROOT);
        if (!FIELDS.contains(name)) {
          throw new IllegalArgumentException("unknown field '" + name + "'");
        }
        if (fields.containsKey(name)) {
          throw new IllegalArgumentException("field '" + name + "' appears twice");
        }
        last = new StringBuilder(words[i].substring(eq + 1));
        fields.put(name, last);
      } else if (last != null && last == fields.get("data")) {
        last.append(words[i]); // data typed with spaces between its groups
      } else {
        throw new IllegalArgumentException("unexpected word '" + words[i] + "'");
      }
    }
    String key = field(fields, "key");
    String set = field(fields, "set").toLowerCase(Locale.ROOT);
    String custodian = field(fields, "custodian");
    String share = field(fields, "share");
    int slash = share.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("share '" + share + "' is not INDEX/COUNT");
    }
    int index = number("share index", share.substring(0, slash));
    int count = number("share count", share.substring(slash + 1));
    int threshold = number("threshold", field(fields, "threshold"));
    String hex = field(fields, "data").replace("-", "").toLowerCase(Locale.ROOT);
    byte[] data;
    try {
      data = HEX.parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "data is not hexadecimal (digits 0-9 and letters a-f, in groups of 4)", e);
    }
    String check = field(fields, "check").toLowerCase(Locale.ROOT);
    EscrowShare parsed = new EscrowShare(key, set, custodian, index, count, threshold, data);
    if (!parsed.check().equals(check)) {
      throw new IllegalArgumentException(
          "the check value does not match (expected "
              + parsed.check()
              + ", the share says "
              + check
              + "): a character was mistyped or the share was altered");
    }
    return parsed;
  }

  private static String field(Map<String, StringBuilder> fields, String name) {
    StringBuilder value = fields.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("field '" + name + "' is missing");
    }
    return value.toString();
  }

  private static int number(String what, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " '" + text + "' is not a number", e);
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof EscrowShare s
        && s.keyId.equals(keyId)
        && s.setId.equals(setId)
        && s.custodian.equals(custodian)
        && s.index == index
        && s.count == count
        && s.threshold == threshold
        && Arrays.equals(s.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyId, setId, custodian, index, count, threshold, Arrays.hashCode(data));
  }

  /** Names the share without its data. */
  @Override
  public String toString() {
    return "EscrowShare["
        + keyId
        + " set "
        + setId
        + " "
        + index
        + "/"
        + count
        + " threshold "
        + threshold
        + " for "
        + custodian
        + "]";
  }
}
