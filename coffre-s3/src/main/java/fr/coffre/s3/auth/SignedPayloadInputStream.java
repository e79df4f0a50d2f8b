package fr.coffre.s3.auth;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A body whose SHA-256 was signed (x-amz-content-sha256): hashed as it streams, compared at the
 * end; a mismatch fails the last read with XAmzContentSHA256Mismatch.
 */
final class SignedPayloadInputStream extends FilterInputStream {
  private final MessageDigest sha = SigV4.sha256();
  private final String expected;
  private boolean verified;

  SignedPayloadInputStream(InputStream in, String expectedHex) {
    super(in);
    this.expected = expectedHex;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      sha.update(b, off, n);
    } else if (n < 0 && !verified) {
      String actual = HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(expected)) {
        throw new S3Exception(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH)
            .with("ClientComputedContentSHA256", expected)
            .with("S3ComputedContentSHA256", actual);
      }
      verified = true;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("a verified body cannot be skipped");
  }
}
