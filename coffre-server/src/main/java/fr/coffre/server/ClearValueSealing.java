package fr.coffre.server;

import fr.coffre.metadata.MetadataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background pass that seals the ETags and checksums written in clear by an earlier Coffre
 * (docs/security.md, "Rows written before sealing"): batches until none is left, then nothing for
 * the rest of the process's life (new rows are sealed as written). Resumable: each batch asks the
 * store for what is still in clear, so a stop or a crash loses nothing, and the next start
 * continues.
 */
final class ClearValueSealing implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ClearValueSealing.class);
  static final int BATCH = 500;

  private final MetadataStore metadata;
  private volatile boolean done;

  ClearValueSealing(MetadataStore metadata) {
    this.metadata = metadata;
  }

  @Override
  public void run() {
    if (done) {
      return;
    }
    long total = 0;
    int n;
    while ((n = metadata.sealClearValues(BATCH)) > 0) {
      total += n;
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
    if (total > 0) {
      LOG.info("sealed {} ETags and checksums written in clear by an earlier version", total);
    }
    done = true;
  }

  boolean done() {
    return done;
  }
}
