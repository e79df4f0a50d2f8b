package fr.coffre.service;

import fr.coffre.core.CorruptDataException;
import fr.coffre.crypto.DataKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.List;

/**
 * The plaintext of a run of an object's bytes, read from its blobs in order and decrypted segment
 * by segment as the caller reads. The blobs are opened when the content is created, so a writer
 * that replaces the object meanwhile cannot pull them away (readers see the old version whole). A
 * segment that fails authentication makes {@link #read} throw CorruptDataException.
 */
public final class ObjectContent extends InputStream {
  private final List<SeekableByteChannel> channels;
  private final DataKey key;
  private final long length;
  private int current;
  private long remaining;

  /** {@code channels} are decrypted views already positioned at the first byte to read. */
  ObjectContent(List<SeekableByteChannel> channels, DataKey key, long length) {
    this.channels = channels;
    this.key = key;
    this.length = length;
    this.remaining = length;
  }

  /** The number of bytes this content yields in all. */
  public long length() {
    return length;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (remaining > 0 && current < channels.size()) {
      ByteBuffer buf = ByteBuffer.wrap(b, off, (int) Math.min(len, remaining));
      int n = channels.get(current).read(buf);
      if (n > 0) {
        remaining -= n;
        return n;
      }
      if (n < 0) {
        current++;
      }
    }
    if (remaining > 0) {
      throw new CorruptDataException(
          "object content ended " + remaining + " bytes before its recorded size", null);
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (SeekableByteChannel c : channels) {
      try {
        c.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    key.close();
    if (first != null) {
      throw first;
    }
  }
}
