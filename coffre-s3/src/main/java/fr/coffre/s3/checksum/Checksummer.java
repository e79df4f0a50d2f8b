package fr.coffre.s3.checksum;

import java.util.Base64;

/**
 * One streaming checksum computation: fed the bytes of a body once, as they pass, then asked for
 * its value. Not thread-safe; one per body.
 */
public interface Checksummer {
  ChecksumAlgorithm algorithm();

  void update(byte[] b, int off, int len);

  /**
   * The value of everything fed so far, as raw big-endian bytes. Ends the computation: later calls
   * return the same value and {@link #update} is refused.
   */
  byte[] digest();

  /** {@link #digest()} in base64, the form S3 headers and trailers carry. */
  default String base64() {
    return Base64.getEncoder().encodeToString(digest());
  }
}
