package fr.coffre.core;

/**
 * An erasure certificate with its signature: {@code signature} (base64) is {@code algorithm} over
 * {@link ErasureCertificate#canonicalBytes()} by the key whose X.509 SubjectPublicKeyInfo is {@code
 * publicKey} (base64).
 */
public record SignedCertificate(
    ErasureCertificate certificate, String algorithm, String publicKey, String signature) {}
