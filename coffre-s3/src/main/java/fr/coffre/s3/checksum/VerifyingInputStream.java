package fr.coffre.s3.checksum;

import fr.coffre.s3.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A pass-through stream that sees every byte once and checks something about the whole body when
 * the source ends: it returns -1 only after that check passed, otherwise it throws the check's
 * {@link S3Exception} from that last read (and from every read after it), so a caller that commits
 * only on end-of-stream never stores a body that failed.
 */
public abstract class VerifyingInputStream extends InputStream {
  private final InputStream in;
  private final byte[] one = new byte[1];
  private boolean ended;
  private S3Exception failure;

  protected VerifyingInputStream(InputStream in) {
    this.in = Objects.requireNonNull(in, "in");
  }

  /** Sees the bytes just read, in order, once each. */
  protected abstract void update(byte[] b, int off, int len);

  /** Called once, when the source has ended; throws if the body fails the check. */
  protected abstract void verifyAtEnd();

  /** Whether the source ended and the check passed. */
  protected final boolean verified() {
    return ended && failure == null;
  }

  @Override
  public final int read() throws IOException {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public final int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (failure != null) {
      throw failure;
    }
    if (ended) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int n = in.read(b, off, len);
    if (n > 0) {
      update(b, off, n);
    } else if (n < 0) {
      try {
        verifyAtEnd();
      } catch (S3Exception e) {
        failure = e;
        throw e;
      }
      ended = true;
    }
    return n;
  }

  /** Skipped bytes are read (and so checked), never skipped at the source. */
  @Override
  public final long skip(long n) throws IOException {
    long left = n;
    byte[] scratch = new byte[(int) Math.min(8192, Math.max(1, n))];
    while (left > 0) {
      int r = read(scratch, 0, (int) Math.min(scratch.length, left));
      if (r < 0) {
        break;
      }
      left -= r;
    }
    return n - Math.max(left, 0);
  }

  @Override
  public int available() throws IOException {
    return ended || failure != null ? 0 : in.available();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
