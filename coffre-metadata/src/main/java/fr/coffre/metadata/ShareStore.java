package fr.coffre.metadata;

import fr.coffre.core.ShareLinkRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Share links as rows; each mutating method is one durable transaction. */
public interface ShareStore {

  /** Records a new link; NoSuchBucketException if its bucket does not exist. */
  void createShare(ShareLinkRecord link);

  Optional<ShareLinkRecord> share(String id);

  Optional<ShareLinkRecord> shareByTokenHash(String tokenHash);

  /** A tenant's links that are not revoked, newest first (expired and used-up ones included). */
  List<ShareLinkRecord> shares(String tenant);

  /** Marks a link revoked; false if there is no such link or it was already revoked. */
  boolean revokeShare(String id, Instant at);

  /**
   * Counts one download if the link still allows it at {@code now} (not revoked, not expired, under
   * its limit), in one statement, so that concurrent downloads never exceed the limit.
   *
   * @return whether the download was counted (and may proceed)
   */
  boolean countShareDownload(String id, Instant now);

  /** Deletes links that ended (expired or revoked) before {@code cutoff}; returns how many. */
  int deleteSharesEndedBefore(Instant cutoff);
}
