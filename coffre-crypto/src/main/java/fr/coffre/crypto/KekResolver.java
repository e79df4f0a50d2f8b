package fr.coffre.crypto;

import fr.coffre.core.KmsKeyException;

/**
 * Finds the KMS key version that wrapped a data key, checking that the key may be used: a disabled,
 * pending-deletion, destroyed or unknown key throws {@link fr.coffre.core.KmsKeyException}.
 */
@FunctionalInterface
public interface KekResolver {
  KeyEncryptionKey forDecrypt(String keyId, int version);

  /** For a server without KMS keys: every KMS-wrapped data key is refused. */
  KekResolver NONE =
      (keyId, version) -> {
        throw new KmsKeyException(KmsKeyException.Reason.NOT_FOUND, keyId);
      };
}
