package fr.coffre.service;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Operators' password hashes: PBKDF2 with HMAC-SHA-256 from the JCE, a 16-byte random salt and a
 * 32-byte output, stored self-describing as {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (base64) so
 * that the work factor can rise without invalidating older hashes.
 */
public final class PasswordHashes {
  /** OWASP's figure for PBKDF2-HMAC-SHA256 (2023). */
  public static final int DEFAULT_ITERATIONS = 600_000;

  private static final String PREFIX = "pbkdf2-sha256";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int iterations;

  public PasswordHashes(int iterations) {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be positive, got " + iterations);
    }
    this.iterations = iterations;
  }

  public String hash(char[] password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX
        + "$"
        + iterations
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(derive(password, salt, iterations));
  }

  /**
   * Whether {@code password} is the one {@code stored} was made from; false for a malformed hash.
   */
  public static boolean verify(char[] password, String stored) {
    String[] p = stored.split("\\$");
    if (p.length != 4 || !p[0].equals(PREFIX)) {
      return false;
    }
    try {
      int n = Integer.parseInt(p[1]);
      byte[] salt = Base64.getDecoder().decode(p[2]);
      byte[] expected = Base64.getDecoder().decode(p[3]);
      return n > 0 && MessageDigest.isEqual(expected, derive(password, salt, n));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
    } finally {
      spec.clearPassword();
    }
  }
}
