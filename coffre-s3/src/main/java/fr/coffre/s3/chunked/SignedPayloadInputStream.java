package fr.coffre.s3.chunked;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.checksum.VerifyingInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A body whose SHA-256 the client signed ({@code x-amz-content-sha256: <hex>}): hashed as it
 * streams and compared when it ends; a mismatch fails the last read with XAmzContentSHA256Mismatch,
 * as S3 does.
 */
public final class SignedPayloadInputStream extends VerifyingInputStream {
  private final MessageDigest sha256;
  private final String expected;

  /**
   * @param expectedHex the claimed SHA-256, 64 hex digits (either case)
   */
  public SignedPayloadInputStream(InputStream in, String expectedHex) {
    super(in);
    if (expectedHex == null || !expectedHex.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("not a SHA-256 in hex: " + expectedHex);
    }
    this.expected = expectedHex.toLowerCase(Locale.ROOT);
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  @Override
  protected void update(byte[] b, int off, int len) {
    sha256.update(b, off, len);
  }

  @Override
  protected void verifyAtEnd() {
    String actual = HexFormat.of().formatHex(sha256.digest());
    if (!MessageDigest.isEqual(actual.getBytes(), expected.getBytes())) {
      throw new S3Exception(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH)
          .with("ClientComputedContentSHA256", expected)
          .with("S3ComputedContentSHA256", actual);
    }
  }
}
