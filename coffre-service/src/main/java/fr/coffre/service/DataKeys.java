package fr.coffre.service;

import fr.coffre.core.CustomerKey;
import fr.coffre.core.KmsKeyException;
import fr.coffre.crypto.DataKey;
import fr.coffre.crypto.KeyRef;
import fr.coffre.crypto.ObjectCrypto;

/**
 * Chooses the key that wraps a new object's data key: a customer key, a KMS key, or the root key.
 */
final class DataKeys {
  private final ObjectCrypto crypto;
  private final KeyService keys;

  /**
   * @param keys the KMS keys, or null on a server without them
   */
  DataKeys(ObjectCrypto crypto, KeyService keys) {
    this.crypto = crypto;
    this.keys = keys;
  }

  /**
   * A fresh data key for a write.
   *
   * @param customer the client's key (SSE-C), or null
   * @param kmsKey the KMS key (id, ARN or alias) asked for (SSE-KMS), or null
   */
  DataKey create(CustomerKey customer, String kmsKey) {
    if (kmsKey != null) {
      if (keys == null) {
        throw new KmsKeyException(KmsKeyException.Reason.NOT_FOUND, kmsKey);
      }
      return crypto.newDataKey(keys.forEncrypt(kmsKey));
    }
    return crypto.newDataKey(customer);
  }

  /** The ARN of the KMS key a data key reference names, or null when it is not SSE-KMS. */
  String kmsArn(String keyRef) {
    return KeyRef.parse(keyRef) instanceof KeyRef.Kms kms && keys != null
        ? keys.arn(kms.keyId())
        : null;
  }
}
