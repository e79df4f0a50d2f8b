package fr.coffre.service;

import fr.coffre.core.BlobSlice;
import fr.coffre.storage.BlobStore;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes blobs that no committed row references any more. A failure only leaves an orphan, which
 * {@link BlobJanitor} collects at the next start, so it is logged, not raised.
 */
final class Reclaimer {
  private static final Logger LOG = LoggerFactory.getLogger(Reclaimer.class);
  private final BlobStore blobs;

  Reclaimer(BlobStore blobs) {
    this.blobs = blobs;
  }

  void reclaim(List<BlobSlice> slices) {
    for (BlobSlice slice : slices) {
      try {
        blobs.delete(slice.blob());
      } catch (IOException e) {
        LOG.warn("could not delete blob {}; it will be collected at next start", slice.blob(), e);
      }
    }
  }
}
