package fr.coffre.service;

import fr.coffre.core.BlobId;
import fr.coffre.core.CorruptDataException;
import fr.coffre.core.ObjectRecord;
import fr.coffre.crypto.DataKey;
import fr.coffre.crypto.ObjectCrypto;
import fr.coffre.storage.BlobStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * Which copies of a blob are intact: decrypted end to end with every segment authenticated, when
 * the object's data key is at hand; when it is not (SSE-C: the client holds it), copies are only
 * trusted when they are byte for byte the same.
 */
final class CopyIntegrity {
  private final BlobStore blobs;
  private final ObjectCrypto crypto;

  /**
   * @param crypto null to check presence only
   */
  CopyIntegrity(BlobStore blobs, ObjectCrypto crypto) {
    this.blobs = blobs;
    this.crypto = crypto;
  }

  /** The object's data key, or null when it cannot be had (SSE-C, no crypto, sealed). */
  DataKey dataKey(ObjectRecord o) {
    if (crypto == null) {
      return null;
    }
    try {
      return crypto.unwrap(o.keyRef(), o.wrappedKey());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Whether the copy on {@code volume} decrypts end to end; true without a key (not checkable). */
  boolean intact(DataKey key, BlobId id, String volume) throws IOException {
    if (key == null) {
      return true;
    }
    try (SeekableByteChannel in = crypto.decrypt(key, id, blobs.open(id, volume))) {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      while (in.read(buf) >= 0) {
        buf.clear();
      }
      return true;
    } catch (CorruptDataException e) {
      return false;
    }
  }

  /**
   * A copy to copy from: the first intact one with a key; without one, the first copy only when
   * every copy is the same bytes. Null when there is none to trust.
   */
  String source(DataKey key, BlobId id, List<String> copies) throws IOException {
    if (copies.isEmpty()) {
      return null;
    }
    if (key != null) {
      for (String v : copies) {
        if (intact(key, id, v)) {
          return v;
        }
      }
      return null;
    }
    byte[] first = digest(id, copies.get(0));
    for (String v : copies.subList(1, copies.size())) {
      if (!Arrays.equals(first, digest(id, v))) {
        return null;
      }
    }
    return copies.get(0);
  }

  private byte[] digest(BlobId id, String volume) throws IOException {
    try (SeekableByteChannel in = blobs.open(id, volume)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      while (in.read(buf) >= 0) {
        buf.flip();
        md.update(buf);
        buf.clear();
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
