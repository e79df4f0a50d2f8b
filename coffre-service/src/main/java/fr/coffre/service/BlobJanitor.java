package fr.coffre.service;

import fr.coffre.core.BlobId;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.storage.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims what interrupted writes leave behind: temporaries, and committed blobs that no metadata
 * row references (a crash between the blob's commit and the row's, or a failed reclaim). It must
 * run before the server accepts writes, because a blob being written is unreferenced until its row
 * commits.
 */
public final class BlobJanitor {
  private static final Logger LOG = LoggerFactory.getLogger(BlobJanitor.class);

  private final MetadataStore metadata;
  private final BlobStore blobs;

  public BlobJanitor(MetadataStore metadata, BlobStore blobs) {
    this.metadata = metadata;
    this.blobs = blobs;
  }

  /**
   * Deletes the blobs committed before {@code cutoff} that no row references: orphans of writes
   * interrupted after the blob's commit and before the row's. Safe while writes go on (on this node
   * or, in a cluster, on peers writing to its volumes) as long as {@code cutoff} is older than any
   * write can take: a blob that old without a row will never get one. The references are read
   * before the blobs are listed, so a blob whose row commits meanwhile is younger than the cutoff
   * anyway.
   *
   * @return how many blobs were deleted
   */
  public int collectCommittedBefore(Instant cutoff) {
    try {
      Set<BlobId> referenced = new HashSet<>();
      metadata.forEachReferencedBlob(referenced::add);
      List<BlobId> orphans = new ArrayList<>();
      blobs.forEachCommittedBefore(
          cutoff,
          id -> {
            if (!referenced.contains(id)) {
              orphans.add(id);
            }
          });
      for (BlobId id : orphans) {
        blobs.delete(id);
      }
      if (!orphans.isEmpty()) {
        LOG.info("collected {} orphan blobs committed before {}", orphans.size(), cutoff);
      }
      return orphans.size();
    } catch (IOException e) {
      throw new UncheckedIOException("collecting orphan blobs failed", e);
    }
  }

  /** Removes temporaries and orphan blobs; returns how many orphan blobs were deleted. */
  public int collect() {
    return collect(Set.of());
  }

  /**
   * Removes temporaries and the orphan blobs not in {@code kept}; returns how many were deleted.
   * After a restore from a backup, the blobs written since the backup have no row: they are kept
   * (and reported) instead of collected, so that the operator decides.
   */
  public int collect(Set<BlobId> kept) {
    try {
      blobs.removeTemporaries();
      List<BlobId> orphans = new ArrayList<>(unreferenced());
      orphans.removeAll(kept);
      for (BlobId id : orphans) {
        blobs.delete(id);
      }
      if (!orphans.isEmpty()) {
        LOG.info("collected {} orphan blobs left by interrupted writes", orphans.size());
      }
      return orphans.size();
    } catch (IOException e) {
      throw new UncheckedIOException("collecting orphan blobs failed", e);
    }
  }

  /** The committed blobs that no row references, in the blob store's order; nothing is deleted. */
  public List<BlobId> unreferenced() {
    try {
      Set<BlobId> referenced = new HashSet<>();
      metadata.forEachReferencedBlob(referenced::add);
      List<BlobId> orphans = new ArrayList<>();
      blobs.forEach(
          id -> {
            if (!referenced.contains(id)) {
              orphans.add(id);
            }
          });
      return orphans;
    } catch (IOException e) {
      throw new UncheckedIOException("listing unreferenced blobs failed", e);
    }
  }
}
