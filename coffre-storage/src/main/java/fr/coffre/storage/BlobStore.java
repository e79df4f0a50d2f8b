package fr.coffre.storage;

import fr.coffre.core.BlobId;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Durable, immutable byte containers named by {@link BlobId}. A blob store knows nothing of S3,
 * buckets or object keys; the bytes it holds are already encrypted by the layer above.
 *
 * <p>Durability contract, which every implementation passes (see the contract test suite):
 *
 * <ol>
 *   <li>{@link #create} writes to a temporary place that no reader of the id can see.
 *   <li>{@link BlobWriter#commit()} forces the content to stable storage, moves it atomically under
 *       its final name, then forces the directory entry, and only then returns. After it returns, a
 *       crash or power loss cannot lose the blob or expose a partial one.
 *   <li>Closing a writer that was not committed discards what it wrote.
 *   <li>Blobs are never modified after commit; they are only deleted.
 *   <li>Temporaries left by a crash are removed by {@link #removeTemporaries()}, called at start.
 * </ol>
 */
public interface BlobStore extends Closeable {

  /** Starts writing a new blob; nothing is visible under {@code id} until commit. */
  BlobWriter create(BlobId id) throws IOException;

  /**
   * Starts writing a new blob whose copies go to exactly these volumes (a placement decided above).
   * A store with a single volume accepts only that volume, or an empty list.
   */
  default BlobWriter create(BlobId id, List<String> volumes) throws IOException {
    if (!volumes.isEmpty() && !volumes.equals(volumes())) {
      throw new IllegalArgumentException(
          "this store has only the volumes " + volumes() + ", not " + volumes);
    }
    return create(id);
  }

  /** The names of this store's volumes. */
  default List<String> volumes() {
    return List.of(SINGLE_VOLUME);
  }

  /** The volumes that hold a committed copy of the blob. */
  default List<String> volumesOf(BlobId id) throws IOException {
    return exists(id) ? volumes() : List.of();
  }

  /**
   * The volumes to read the blob from, in order: the first holds a committed copy, the ones after
   * it are where a reader fails over to (they may lack the blob: opening it there fails); empty
   * when no volume that could be asked holds it. Unlike {@link #volumesOf}, stops asking at the
   * first copy found, so that a read does not ask every volume (a peer's over the network).
   */
  default List<String> readOrder(BlobId id) throws IOException {
    return volumesOf(id);
  }

  /**
   * Copies a committed blob from one volume to another (repair); durable when it returns.
   *
   * @throws UnsupportedOperationException for a store of a single volume
   */
  default void copy(BlobId id, String fromVolume, String toVolume) throws IOException {
    throw new UnsupportedOperationException("a single-volume store has nowhere to copy to");
  }

  /** Opens the copy on one volume (a store of one volume: its only copy). */
  default SeekableByteChannel open(BlobId id, String volume) throws IOException {
    return open(id);
  }

  /** Deletes the copy on one volume (a corrupt copy, before it is recreated). */
  default void delete(BlobId id, String volume) throws IOException {
    delete(id);
  }

  /** The name of the only volume of a single-volume store. */
  String SINGLE_VOLUME = "default";

  /**
   * Opens a committed blob for random-access reading.
   *
   * @throws java.nio.file.NoSuchFileException when no committed blob has this id
   */
  SeekableByteChannel open(BlobId id) throws IOException;

  /** Whether a committed blob has this id. */
  boolean exists(BlobId id) throws IOException;

  /** Deletes a committed blob; does nothing if it is absent. */
  void delete(BlobId id) throws IOException;

  /** Calls {@code visitor} with the id of every committed blob, in no particular order. */
  void forEach(Consumer<BlobId> visitor) throws IOException;

  /**
   * Calls {@code visitor} with the id of every blob committed before {@code cutoff}, as far as this
   * store can tell; a store that keeps no dates visits none (an orphan sweep then leaves it alone
   * rather than risk a write in flight).
   */
  default void forEachCommittedBefore(Instant cutoff, Consumer<BlobId> visitor)
      throws IOException {}

  /** Removes temporaries left by writers that neither committed nor closed (a crash). */
  void removeTemporaries() throws IOException;

  /** Human-readable location of a blob for log lines (a file path, say); never sent to clients. */
  String describe(BlobId id);
}
