package fr.coffre.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.jspecify.annotations.Nullable;

/**
 * A read-only view of a channel that starts {@code offset} bytes in: the Tink ciphertext after
 * Coffre's header. It remembers the last I/O failure of the real channel, so that a disk error is
 * told apart from an authentication failure.
 */
final class OffsetChannel implements SeekableByteChannel {
  private final SeekableByteChannel in;
  private final long offset;
  private long position;
  @Nullable IOException lastFailure;

  OffsetChannel(SeekableByteChannel in, long offset) {
    this.in = in;
    this.offset = offset;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    try {
      int n;
      if (in instanceof FileChannel file) {
        n = file.read(dst, offset + position); // one pread, no seek
      } else {
        in.position(offset + position);
        n = in.read(dst);
      }
      if (n > 0) {
        position += n;
      }
      return n;
    } catch (IOException e) {
      lastFailure = e;
      throw e;
    }
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    position = newPosition;
    return this;
  }

  @Override
  public long size() throws IOException {
    try {
      return Math.max(0, in.size() - offset);
    } catch (IOException e) {
      lastFailure = e;
      throw e;
    }
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return in.isOpen();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
