package fr.coffre.crypto;

import fr.coffre.core.CorruptDataException;
import fr.coffre.core.KmsKeyVersion;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals short text values (ETags, checksums) kept in metadata rows: AES-256-GCM under one key of
 * the whole store (all nodes of a cluster share it), each value bound to a context naming its row,
 * so a sealed value copied onto another row does not open. The key is random, kept wrapped by the
 * root key in the metadata database ({@link #generate}), and opened once at start: listing a
 * thousand keys costs a thousand AES-GCM decryptions of a few dozen bytes, no root key call.
 */
public final class ValueCipher {
  /** The sealing key's id: one key, so concurrent first starts insert the same row. */
  public static final String KEY_ID = "metadata-sealing-1";

  private static final byte[] CONTEXT = "coffre sealed value v1|".getBytes(StandardCharsets.UTF_8);
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKey key;

  private ValueCipher(byte[] material) {
    this.key = new SecretKeySpec(material, "AES");
  }

  /** A new random sealing key, wrapped by {@code root}, to store. */
  public static KmsKeyVersion generate(RootKey root, Instant now) {
    return KmsMaterial.generate(root, KEY_ID, 1, now);
  }

  /** The stored sealing key, unwrapped by {@code root} (or the ring holding the one it names). */
  public static ValueCipher open(RootKey root, KmsKeyVersion stored) {
    byte[] material = KmsMaterial.open(root, stored).material();
    try {
      return new ValueCipher(material);
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }

  /** {@code value} sealed and bound to {@code context}, as URL-safe Base64 text. */
  public String seal(String value, String context) {
    try {
      return ENCODER.encodeToString(
          Gcm.seal(key, value.getBytes(StandardCharsets.UTF_8), aad(context)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal a metadata value", e);
    }
  }

  /**
   * The value {@link #seal} sealed with the same context.
   *
   * @throws CorruptDataException when it does not open: altered, or moved to another row
   */
  public String open(String sealed, String context) {
    try {
      return new String(
          Gcm.open(key, DECODER.decode(sealed), aad(context)), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new CorruptDataException(
          "a sealed metadata value (" + context + ") fails authentication", e);
    }
  }

  private static byte[] aad(String context) {
    byte[] c = context.getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(CONTEXT, CONTEXT.length + c.length);
    System.arraycopy(c, 0, out, CONTEXT.length, c.length);
    return out;
  }
}
