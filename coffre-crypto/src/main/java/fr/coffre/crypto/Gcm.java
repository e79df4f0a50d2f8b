package fr.coffre.crypto;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * One-shot AES-256-GCM with a random 96-bit nonce, through the JDK's JCE. Format: version byte,
 * nonce, ciphertext and 128-bit tag. Used for small values only (wrapped keys, attributes): a
 * random nonce is safe far beyond the number of values one key seals here.
 */
final class Gcm {
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final byte VERSION = 1;
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The provider that implements AES-GCM here, looked up once: {@code Cipher.getInstance} by name
   * alone walks the provider list on every call, most of the cost of unwrapping a 32-byte key.
   */
  private static final Provider PROVIDER;

  static {
    try {
      PROVIDER = Cipher.getInstance(TRANSFORMATION).getProvider();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Gcm() {}

  static byte[] seal(SecretKey key, byte[] plaintext, byte[] aad) throws GeneralSecurityException {
    byte[] nonce = new byte[NONCE];
    RANDOM.nextBytes(nonce);
    Cipher c = Cipher.getInstance(TRANSFORMATION, PROVIDER);
    c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
    c.updateAAD(aad);
    byte[] out = new byte[1 + NONCE + c.getOutputSize(plaintext.length)];
    out[0] = VERSION;
    System.arraycopy(nonce, 0, out, 1, NONCE);
    c.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE);
    return out;
  }

  static byte[] open(SecretKey key, byte[] sealed, byte[] aad) throws GeneralSecurityException {
    if (sealed.length < 1 + NONCE + TAG_BITS / 8 || sealed[0] != VERSION) {
      throw new GeneralSecurityException("sealed value has an unknown format");
    }
    Cipher c = Cipher.getInstance(TRANSFORMATION, PROVIDER);
    c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE));
    c.updateAAD(aad);
    return c.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
  }
}
