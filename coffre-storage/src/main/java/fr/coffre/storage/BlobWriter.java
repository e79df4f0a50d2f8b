package fr.coffre.storage;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;

/**
 * A blob being written. It is a seekable channel so that a file format may fill in a fixed-size
 * header after the content; {@link #commit()} makes it durable and visible, {@link #close()}
 * without a commit discards it.
 */
public interface BlobWriter extends SeekableByteChannel {

  /**
   * Forces the content to stable storage, publishes it atomically under its id and forces the
   * directory entry. Returns only once the blob survives a crash. The writer is closed afterwards.
   */
  void commit() throws IOException;
}
