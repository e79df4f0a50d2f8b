package fr.coffre.s3.checksum;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a body through while computing one checksum, and at the end compares it with the value
 * the client declared (x-amz-checksum-* header): a mismatch fails the last read with BadDigest, so
 * the caller never commits the content.
 */
public final class ChecksumInputStream extends FilterInputStream {
  private final ChecksumAlgorithm algorithm;
  private final ChecksumAlgorithm.Digest digest;
  private final String expected;
  private boolean verified;

  public ChecksumInputStream(InputStream in, ChecksumAlgorithm algorithm, String expectedBase64) {
    super(in);
    this.algorithm = algorithm;
    this.digest = algorithm.newDigest();
    this.expected = expectedBase64.strip();
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
      digest.update(b, off, n);
    } else if (n < 0 && !verified) {
      String actual = digest.base64();
      if (!actual.equals(expected)) {
        throw new S3Exception(
            S3Error.BAD_DIGEST,
            "The " + algorithm.header() + " you specified did not match the calculated checksum.");
      }
      verified = true;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("a verified body cannot be skipped");
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
