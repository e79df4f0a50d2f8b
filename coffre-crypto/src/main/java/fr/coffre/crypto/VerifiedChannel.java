package fr.coffre.crypto;

import fr.coffre.core.BlobId;
import fr.coffre.core.CorruptDataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * The decrypted view handed to readers: Tink reports a segment that fails authentication as an
 * IOException, which this turns into a CorruptDataException naming the blob, unless the real disk
 * read is what failed.
 */
final class VerifiedChannel implements SeekableByteChannel {
  private final SeekableByteChannel plain;
  private final OffsetChannel ciphertext;
  private final BlobId blob;

  VerifiedChannel(SeekableByteChannel plain, OffsetChannel ciphertext, BlobId blob) {
    this.plain = plain;
    this.ciphertext = ciphertext;
    this.blob = blob;
  }

  private IOException check(IOException e) {
    if (ciphertext.lastFailure == e
        || (e.getCause() != null && e.getCause() == ciphertext.lastFailure)) {
      return e;
    }
    throw new CorruptDataException("blob " + blob + " fails authentication: " + e.getMessage(), e);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    try {
      return plain.read(dst);
    } catch (IOException e) {
      throw check(e);
    }
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() throws IOException {
    return plain.position();
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    try {
      plain.position(newPosition);
    } catch (IOException e) {
      throw check(e);
    }
    return this;
  }

  @Override
  public long size() throws IOException {
    try {
      return plain.size();
    } catch (IOException e) {
      throw check(e);
    }
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return plain.isOpen();
  }

  @Override
  public void close() throws IOException {
    plain.close();
  }
}
