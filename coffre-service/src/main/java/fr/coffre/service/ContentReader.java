package fr.coffre.service;

import fr.coffre.core.BlobId;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.CustomerKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.StorageFailureException;
import fr.coffre.crypto.DataKey;
import fr.coffre.crypto.ObjectCrypto;
import fr.coffre.storage.BlobStore;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * The decrypted bytes of a range of an object: for each of its blobs that the range touches, a
 * {@link FailoverChannel} over the blob's copies (a corrupt or vanished copy is skipped, never
 * served). When no copy can be found it tells missing data (the read fails as an integrity problem)
 * from copies that cannot be reached now, in a cluster whose nodes are down (a passing outage:
 * {@link StorageFailureException}, 503).
 */
final class ContentReader {
  private final BlobStore blobs;
  private final ObjectCrypto crypto;

  ContentReader(BlobStore blobs, ObjectCrypto crypto) {
    this.blobs = blobs;
    this.crypto = crypto;
  }

  ObjectContent open(ObjectRecord record, ByteRange.Slice slice, CustomerKey customer)
      throws IOException {
    DataKey key = crypto.unwrap(record.keyRef(), record.wrappedKey(), customer);
    List<SeekableByteChannel> channels = new ArrayList<>();
    try {
      long blobStart = 0;
      long end = slice.start() + slice.length();
      for (BlobSlice blob : record.blobs()) {
        long blobEnd = blobStart + blob.size();
        if (blobEnd > slice.start() && blobStart < end) {
          BlobId id = blob.blob();
          List<String> copies = blobs.readOrder(id);
          if (copies.isEmpty()) {
            requireReachable(id);
          }
          SeekableByteChannel channel =
              new FailoverChannel(
                  id, copies, volume -> crypto.decrypt(key, id, blobs.open(id, volume)));
          channels.add(channel);
          channel.position(Math.max(0, slice.start() - blobStart));
        }
        blobStart = blobEnd;
      }
      return new ObjectContent(channels, key, slice.length());
    } catch (IOException | RuntimeException e) {
      for (SeekableByteChannel c : channels) {
        c.close();
      }
      key.close();
      throw e;
    }
  }

  /**
   * With no copy found: whether that is because the volumes that may hold one cannot be asked now
   * (in a cluster, their nodes are down): then the read fails as a passing outage (503), not as
   * missing data.
   */
  private void requireReachable(BlobId id) throws IOException {
    try {
      blobs.exists(id);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw new StorageFailureException(
          "no copy of blob " + id + " can be reached now (" + e.getMessage() + ")", e);
    }
  }
}
