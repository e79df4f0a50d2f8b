package fr.coffre.crypto;

import fr.coffre.core.BlobId;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Encrypts object content into the self-describing blob format (header, then AES-256-GCM
 * authenticated segments) and small values (attributes) in one piece, under per-object data keys
 * wrapped by the {@link RootKey}. See docs/on-disk-format.md.
 */
public final class ObjectCrypto {
  private final RootKey rootKey;

  public ObjectCrypto(RootKey rootKey) {
    this.rootKey = rootKey;
  }

  /** A fresh random 256-bit data key, already wrapped by the root key. */
  public DataKey newDataKey() {
    throw new UnsupportedOperationException("TODO");
  }

  /** Unwraps a stored data key; CorruptDataException if it does not authenticate. */
  public DataKey unwrap(String keyRef, byte[] wrapped) {
    throw new UnsupportedOperationException("TODO " + rootKey);
  }

  /**
   * Writes the blob header into {@code out} and returns a channel that encrypts what is written to
   * it into {@code out}. Closing the returned channel writes the final segment (it does not close
   * or sync {@code out}). The blob id is bound to every segment as associated data, so a blob
   * cannot be passed off as another.
   */
  public WritableByteChannel encrypt(DataKey key, BlobId blob, SeekableByteChannel out)
      throws IOException {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * A read-only plaintext view of a blob written by {@link #encrypt}: {@code size()} is the
   * plaintext size and {@code position(n)} seeks, so only the segments that a read touches are
   * read and decrypted. A segment that fails authentication makes the read throw
   * CorruptDataException (naming the blob), never return bytes.
   */
  public SeekableByteChannel decrypt(DataKey key, BlobId blob, SeekableByteChannel in)
      throws IOException {
    throw new UnsupportedOperationException("TODO");
  }

  /** Encrypts a small value (AES-256-GCM, random nonce) with {@code context} as associated data. */
  public byte[] seal(DataKey key, byte[] plaintext, byte[] context) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Reverses {@link #seal}; CorruptDataException if the value or context were altered. */
  public byte[] open(DataKey key, byte[] sealed, byte[] context) {
    throw new UnsupportedOperationException("TODO");
  }
}
