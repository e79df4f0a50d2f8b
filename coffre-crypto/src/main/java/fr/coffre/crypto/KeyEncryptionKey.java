package fr.coffre.crypto;

import java.util.Arrays;

/**
 * One version of a KMS key, opened: 256-bit material in memory that wraps and unwraps data keys.
 * Obtained from {@link KmsMaterial#open}; whoever caches it wipes it with {@link #destroy()}.
 */
public final class KeyEncryptionKey {
  private final String keyId;
  private final int version;
  private final byte[] material;

  KeyEncryptionKey(String keyId, int version, byte[] material) {
    this.keyId = keyId;
    this.version = version;
    this.material = material;
  }

  public String keyId() {
    return keyId;
  }

  public int version() {
    return version;
  }

  byte[] material() {
    return material;
  }

  /** Overwrites the material; the key is unusable afterwards. */
  public void destroy() {
    Arrays.fill(material, (byte) 0);
  }

  @Override
  public String toString() {
    return "KeyEncryptionKey[" + keyId + " v" + version + "]"; // never the material
  }
}
