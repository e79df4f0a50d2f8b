package fr.coffre.crypto;

import fr.coffre.core.CorruptDataException;
import fr.coffre.core.KmsKeyVersion;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;

/**
 * Creates and opens KMS key material: 32 random bytes, stored only wrapped by the root key with the
 * key id and version bound as associated data (a version cannot be passed off as another).
 */
public final class KmsMaterial {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int KEY_BYTES = 32;

  private KmsMaterial() {}

  /** Fresh material for {@code keyId} version {@code version}, wrapped by {@code root}. */
  public static KmsKeyVersion generate(RootKey root, String keyId, int version, Instant now) {
    byte[] material = new byte[KEY_BYTES];
    RANDOM.nextBytes(material);
    try {
      return new KmsKeyVersion(
          keyId, version, root.id(), root.wrap(material, context(keyId, version)), now);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the root key cannot wrap KMS key material", e);
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }

  /**
   * Unwraps a stored version; CorruptDataException if it fails authentication or another root key
   * wrapped it.
   */
  public static KeyEncryptionKey open(RootKey root, KmsKeyVersion stored) {
    if (!root.holds(stored.rootKeyId())) {
      throw new CorruptDataException(
          "KMS key "
              + stored.keyId()
              + " v"
              + stored.version()
              + " is wrapped by root key "
              + stored.rootKeyId()
              + " but this server holds "
              + root.id(),
          null);
    }
    try {
      return new KeyEncryptionKey(
          stored.keyId(),
          stored.version(),
          root.unwrap(
              stored.rootKeyId(),
              stored.wrappedMaterial(),
              context(stored.keyId(), stored.version())));
    } catch (GeneralSecurityException e) {
      throw new CorruptDataException(
          "KMS key " + stored.keyId() + " v" + stored.version() + " fails authentication", e);
    }
  }

  /**
   * The same material wrapped by {@code root}'s current key (a root key rotation's re-wrap), from a
   * version wrapped by any key {@code root} holds.
   */
  public static KmsKeyVersion rewrap(RootKey root, KmsKeyVersion stored) {
    KeyEncryptionKey opened = open(root, stored);
    try {
      return new KmsKeyVersion(
          stored.keyId(),
          stored.version(),
          root.id(),
          root.wrap(opened.material(), context(stored.keyId(), stored.version())),
          stored.created());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the root key cannot wrap KMS key material", e);
    } finally {
      opened.destroy();
    }
  }

  private static byte[] context(String keyId, int version) {
    return ("coffre kms key v1|" + keyId + "|" + version).getBytes(StandardCharsets.UTF_8);
  }
}
