package fr.coffre.service;

import fr.coffre.core.BlobId;
import fr.coffre.core.CorruptDataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decrypted content of one blob, read from the first of its copies and, when a segment of that
 * copy fails authentication (or the copy vanished), from the next copy at the same position: the
 * integrity check decides, and a corrupt copy is never served. Logged at WARN.
 */
final class FailoverChannel implements SeekableByteChannel {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverChannel.class);

  /** Opens the decrypted view of the copy on one volume. */
  @FunctionalInterface
  interface Opener {
    SeekableByteChannel open(String volume) throws IOException;
  }

  private final BlobId blob;
  private final List<String> volumes;
  private final Opener opener;
  private int index;
  private SeekableByteChannel current;

  FailoverChannel(BlobId blob, List<String> volumes, Opener opener) throws IOException {
    if (volumes.isEmpty()) {
      throw new NoSuchFileException("blob " + blob + " is on no volume");
    }
    this.blob = blob;
    this.volumes = volumes;
    this.opener = opener;
    try {
      this.current = opener.open(volumes.get(0));
    } catch (CorruptDataException | IOException e) {
      failover(e, 0);
    }
  }

  /** Moves to the next copy at {@code position}; rethrows {@code cause} when none is left. */
  private void failover(Exception cause, long position) throws IOException {
    String bad = volumes.get(index);
    closeQuietly(current);
    while (++index < volumes.size()) {
      LOG.warn(
          "blob {}: the copy on volume {} fails ({}); reading from volume {}",
          blob,
          bad,
          cause.getMessage(),
          volumes.get(index));
      SeekableByteChannel next = null;
      try {
        next = opener.open(volumes.get(index));
        next.position(position);
        current = next;
        return;
      } catch (CorruptDataException | IOException e) {
        closeQuietly(next);
        bad = volumes.get(index);
      }
    }
    LOG.error("blob {}: no copy left that passes the integrity check", blob);
    if (cause instanceof IOException io) {
      throw io;
    }
    throw (RuntimeException) cause;
  }

  private static void closeQuietly(SeekableByteChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // the copy is being abandoned
      }
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    while (true) {
      long position = current.position();
      int mark = dst.position();
      try {
        return current.read(dst);
      } catch (CorruptDataException | IOException e) {
        // A segment that fails authentication, or a copy the disk cannot read (EIO): the next copy.
        dst.position(mark);
        failover(e, position);
      }
    }
  }

  @Override
  public long position() throws IOException {
    return current.position();
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    while (true) {
      try {
        current.position(newPosition);
        return this;
      } catch (CorruptDataException | IOException e) {
        failover(e, newPosition);
      }
    }
  }

  @Override
  public long size() throws IOException {
    return current.size();
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return current != null && current.isOpen();
  }

  @Override
  public void close() throws IOException {
    if (current != null) {
      current.close();
    }
  }
}
