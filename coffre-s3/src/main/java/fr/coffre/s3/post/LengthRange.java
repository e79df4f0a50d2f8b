package fr.coffre.s3.post;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.checksum.VerifyingInputStream;
import java.io.InputStream;

/**
 * Holds a form upload's file to the policy's {@code content-length-range}: too large fails as soon
 * as the limit is passed, too small fails the last read, so nothing outside the range is stored.
 */
public final class LengthRange extends VerifyingInputStream {
  private final long min;
  private final long max;
  private long count;

  public LengthRange(InputStream in, long min, long max) {
    super(in);
    this.min = min;
    this.max = max;
  }

  @Override
  protected void update(byte[] b, int off, int len) {
    count += len;
    if (count > max) {
      throw new S3Exception(
              S3Error.ENTITY_TOO_LARGE, "Your proposed upload exceeds the maximum allowed size")
          .with("MaxSizeAllowed", Long.toString(max));
    }
  }

  @Override
  protected void verifyAtEnd() {
    if (count < min) {
      throw new S3Exception(
              S3Error.ENTITY_TOO_SMALL,
              "Your proposed upload is smaller than the minimum allowed size")
          .with("MinSizeAllowed", Long.toString(min));
    }
  }
}
