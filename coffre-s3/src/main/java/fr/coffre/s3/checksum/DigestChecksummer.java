package fr.coffre.s3.checksum;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A checksummer backed by a JDK message digest (SHA-1, SHA-256). */
final class DigestChecksummer implements Checksummer {
  private final ChecksumAlgorithm algorithm;
  private final MessageDigest digest;
  private byte[] value;

  DigestChecksummer(ChecksumAlgorithm algorithm, String jdkName) {
    this.algorithm = algorithm;
    try {
      this.digest = MessageDigest.getInstance(jdkName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jdkName + " is required of every JDK", e);
    }
  }

  @Override
  public ChecksumAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public void update(byte[] b, int off, int len) {
    if (value != null) {
      throw new IllegalStateException("checksum already finished");
    }
    digest.update(b, off, len);
  }

  @Override
  public byte[] digest() {
    if (value == null) {
      value = digest.digest();
    }
    return value.clone();
  }
}
