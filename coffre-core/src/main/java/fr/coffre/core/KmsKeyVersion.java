package fr.coffre.core;

import java.time.Instant;

/**
 * One version of a KMS key: its 256-bit material wrapped by the root key named {@code rootKeyId}.
 */
public record KmsKeyVersion(
    String keyId, int version, String rootKeyId, byte[] wrappedMaterial, Instant created) {
  public KmsKeyVersion {
    wrappedMaterial = wrappedMaterial.clone();
  }

  @Override
  public byte[] wrappedMaterial() {
    return wrappedMaterial.clone();
  }
}
