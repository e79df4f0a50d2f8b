package fr.coffre.cluster;

import fr.coffre.core.BlobId;
import fr.coffre.storage.BlobWriter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads whose bytes were received but not yet committed, by the token their sender chose. An
 * upload leaves the table exactly once: taken by its commit or abort, or swept when it waited too
 * long (its sender died between PUT and commit), and whoever takes it owns its writer. So a commit
 * and the sweeper never both touch one writer, and an uncommitted blob is always discarded (its
 * writer closed), never left to the peer's next start.
 */
final class PendingUploads {
  private static final Logger LOG = LoggerFactory.getLogger(PendingUploads.class);

  /** One received, uncommitted upload. */
  record Upload(
      String volume, BlobId id, BlobWriter writer, String sha256, long size, Instant received) {}

  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration timeout;

  PendingUploads(Clock clock, Duration timeout) {
    this.clock = clock;
    this.timeout = timeout;
  }

  Instant now() {
    return clock.instant();
  }

  /** Holds an upload; false (and the caller keeps its writer) when the token is already in use. */
  boolean hold(String token, Upload upload) {
    return uploads.putIfAbsent(token, upload) == null;
  }

  /** Whether an upload holds this token (a PUT that reuses it is refused before its body). */
  boolean has(String token) {
    return uploads.containsKey(token);
  }

  /** Takes the upload of this token; the caller then owns its writer. */
  @Nullable Upload take(String token) {
    return uploads.remove(token);
  }

  int size() {
    return uploads.size();
  }

  /** Discards the uploads received more than the timeout ago; returns how many. */
  int sweep() {
    Instant limit = clock.instant().minus(timeout);
    List<String> stale = new ArrayList<>();
    uploads.forEach(
        (token, u) -> {
          if (u.received().isBefore(limit)) {
            stale.add(token);
          }
        });
    int swept = 0;
    for (String token : stale) {
      Upload u = uploads.remove(token);
      if (u != null) {
        LOG.warn(
            "discarding upload of blob {} to volume {}: no commit within {}",
            u.id(),
            u.volume(),
            timeout);
        discard(u);
        swept++;
      }
    }
    return swept;
  }

  /** Discards every held upload (the server stops). */
  void clear() {
    for (String token : List.copyOf(uploads.keySet())) {
      Upload u = uploads.remove(token);
      if (u != null) {
        discard(u);
      }
    }
  }

  static void discard(Upload u) {
    try {
      u.writer().close();
    } catch (IOException e) {
      LOG.warn("discarding upload of blob {} to volume {} failed", u.id(), u.volume(), e);
    }
  }
}
