package fr.coffre.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A share link: a capability to download one object without an account, until it expires, is
 * revoked or is used up. Only the SHA-256 of the link's token is kept, so the record alone does not
 * let anyone download.
 *
 * @param id the link's public id (listing and revocation), not a secret
 * @param tokenHash hex SHA-256 of the token in the link
 * @param tenant the tenant whose user made the link
 * @param etag the ETag of the object version shared: a link never serves later content of its key
 * @param createdBy the access key id that made the link; downloads run with its rights
 * @param creator a readable name of who made it ({@code alice}, or {@code root})
 * @param passwordHash the PBKDF2 hash of the optional password, or null
 * @param maxDownloads the most downloads allowed, or null for no limit
 * @param revoked when it was revoked, or null
 */
public record ShareLinkRecord(
    String id,
    String tokenHash,
    String tenant,
    BucketName bucket,
    String key,
    String etag,
    String createdBy,
    String creator,
    Instant created,
    Instant expires,
    @Nullable String passwordHash,
    @Nullable Integer maxDownloads,
    long downloads,
    @Nullable Instant revoked) {

  /** Why a link no longer works, if it does not. */
  public enum State {
    ACTIVE,
    REVOKED,
    EXPIRED,
    USED_UP
  }

  public State state(Instant now) {
    if (revoked != null) {
      return State.REVOKED;
    }
    if (!now.isBefore(expires)) {
      return State.EXPIRED;
    }
    if (maxDownloads != null && downloads >= maxDownloads) {
      return State.USED_UP;
    }
    return State.ACTIVE;
  }
}
