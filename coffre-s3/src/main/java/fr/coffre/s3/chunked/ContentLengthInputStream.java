package fr.coffre.s3.chunked;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Holds a body to its declared {@code Content-Length}: reads at most that many bytes, and if the
 * source ends sooner, fails with IncompleteBody instead of letting a short body pass for a complete
 * one.
 */
public final class ContentLengthInputStream extends InputStream {
  private final InputStream in;
  private final long declared;
  private final byte[] one = new byte[1];
  private long remaining;
  private S3Exception failure;

  public ContentLengthInputStream(InputStream in, long contentLength) {
    if (contentLength < 0) {
      throw new IllegalArgumentException("negative Content-Length " + contentLength);
    }
    this.in = Objects.requireNonNull(in, "in");
    this.declared = contentLength;
    this.remaining = contentLength;
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (failure != null) {
      throw failure;
    }
    if (remaining == 0) {
      // Never read past the declared end: the bytes after it are not this body's.
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      failure =
          new S3Exception(
              S3Error.INCOMPLETE_BODY,
              "You did not provide the number of bytes specified by the Content-Length HTTP header:"
                  + " "
                  + (declared - remaining)
                  + " of "
                  + declared
                  + " received.");
      throw failure;
    }
    remaining -= n;
    return n;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(in.available(), remaining);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
