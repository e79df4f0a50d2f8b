package fr.coffre.audit;

/** Signs checkpoints: the server's Ed25519 key, kept under its root key. */
public interface Signer {
  /** An Ed25519 signature of {@code message}. */
  byte[] sign(byte[] message);

  /** The public key, base64 of its X.509 SubjectPublicKeyInfo. */
  String publicKeyBase64();
}
