package fr.coffre.s3.checksum;

import java.io.InputStream;
import java.util.Optional;

/**
 * Computes a checksum of a body the client sent without one, as it streams, so that a part of an
 * upload that chose an algorithm still gets its value (S3 computes it server-side too).
 */
public final class ComputingInputStream extends VerifyingInputStream {
  private final Checksummer checksummer;

  public ComputingInputStream(InputStream in, ChecksumAlgorithm algorithm) {
    super(in);
    this.checksummer = algorithm.newChecksummer();
  }

  /** The body's value, once the stream has ended; empty before. */
  public Optional<ChecksumValue> value() {
    return verified()
        ? Optional.of(new ChecksumValue(checksummer.algorithm(), checksummer.base64()))
        : Optional.empty();
  }

  @Override
  protected void update(byte[] b, int off, int len) {
    checksummer.update(b, off, len);
  }

  @Override
  protected void verifyAtEnd() {
    // Nothing to compare with: the value is the result.
  }
}
