package fr.coffre.s3.checksum;

import java.util.Objects;

/**
 * A checksum of a body that has been verified, ready to store and to echo in a response header.
 *
 * @param base64 the value as S3 sends it
 */
public record ChecksumValue(ChecksumAlgorithm algorithm, String base64) {
  public ChecksumValue {
    Objects.requireNonNull(algorithm, "algorithm");
    if (!algorithm.isWellFormed(base64)) {
      throw new IllegalArgumentException("not a " + algorithm + " value: " + base64);
    }
  }
}
