package fr.coffre.service;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), with the JCE's HmacSHA1 as every
 * authenticator app computes them: 30-second steps counted from the epoch, 6 digits. A code is
 * accepted for the current step and the one before or after (clock drift); the caller keeps the
 * step that matched so that the same code is never accepted twice.
 */
public final class Totp {
  /** Seconds per time step. */
  public static final long STEP_SECONDS = 30;

  public static final int DIGITS = 6;

  private Totp() {}

  /** The time step {@code t} falls in. */
  public static long step(Instant t) {
    return Math.floorDiv(t.getEpochSecond(), STEP_SECONDS);
  }

  /** The code of {@code step} with {@code digits} digits (RFC 4226 dynamic truncation). */
  public static String code(byte[] secret, long step, int digits) {
    byte[] hash;
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is missing from this JDK", e);
    }
    int offset = hash[hash.length - 1] & 0x0f;
    int binary =
        ((hash[offset] & 0x7f) << 24)
            | ((hash[offset + 1] & 0xff) << 16)
            | ((hash[offset + 2] & 0xff) << 8)
            | (hash[offset + 3] & 0xff);
    int mod = 1;
    for (int i = 0; i < digits; i++) {
      mod *= 10;
    }
    StringBuilder s = new StringBuilder(Integer.toString(binary % mod));
    while (s.length() < digits) {
      s.insert(0, '0');
    }
    return s.toString();
  }

  /**
   * The step whose code {@code given} is, among {@code now}'s step and its two neighbours, or -1.
   * Every candidate is compared in constant time.
   */
  public static long match(byte[] secret, String given, Instant now) {
    if (given == null || !given.matches("[0-9]{" + DIGITS + "}")) {
      return -1;
    }
    long current = step(now);
    long found = -1;
    for (long s = current - 1; s <= current + 1; s++) {
      if (MessageDigest.isEqual(code(secret, s, DIGITS).getBytes(), given.getBytes())) {
        found = s;
      }
    }
    return found;
  }

  /** RFC 4648 base32, without padding: how authenticator apps take a secret. */
  public static String base32(byte[] bytes) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }
}
