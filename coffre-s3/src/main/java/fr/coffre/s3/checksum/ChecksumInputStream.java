package fr.coffre.s3.checksum;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import java.io.InputStream;
import java.util.Optional;

/**
 * Verifies the checksum a client declared in a header ({@code x-amz-checksum-crc32: ...}) against
 * the body as it streams; a mismatch fails the last read with BadDigest, as S3 does.
 */
public final class ChecksumInputStream extends VerifyingInputStream {
  private final Checksummer checksummer;
  private final String expected;

  /**
   * @throws S3Exception InvalidRequest if {@code expectedBase64} is not a well-formed value for
   *     {@code algorithm} (S3 refuses it before reading the body)
   */
  public ChecksumInputStream(InputStream in, ChecksumAlgorithm algorithm, String expectedBase64) {
    super(in);
    String value = expectedBase64 == null ? null : expectedBase64.strip();
    if (!algorithm.isWellFormed(value)) {
      // Not a value of this algorithm at all: it cannot match the body (s3-tests expects
      // BadDigest).
      throw new S3Exception(
          S3Error.BAD_DIGEST, "Value for " + algorithm.headerName() + " header is invalid.");
    }
    this.checksummer = algorithm.newChecksummer();
    this.expected = value;
  }

  /** The verified value, once the stream has ended and matched; empty before. */
  public Optional<ChecksumValue> verifiedValue() {
    return verified()
        ? Optional.of(new ChecksumValue(checksummer.algorithm(), expected))
        : Optional.empty();
  }

  @Override
  protected void update(byte[] b, int off, int len) {
    checksummer.update(b, off, len);
  }

  @Override
  protected void verifyAtEnd() {
    if (!checksummer.base64().equals(expected)) {
      throw badDigest(checksummer.algorithm());
    }
  }

  /** S3's answer when a declared checksum does not match the body. */
  public static S3Exception badDigest(ChecksumAlgorithm algorithm) {
    return new S3Exception(
        S3Error.BAD_DIGEST,
        "The " + algorithm.awsName() + " you specified did not match the calculated checksum.");
  }
}
