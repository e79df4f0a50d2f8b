package fr.coffre.metadata;

import fr.coffre.core.ShareLinkRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@link ShareStore} of {@link SqliteMetadataStore}: share links. */
final class SqliteShares implements ShareStore {
  private final SqliteDatabase db;
  private final ShareRows shares;
  private final BucketRows buckets;

  SqliteShares(SqliteDatabase db, BucketRows buckets) {
    this.db = db;
    this.shares = new ShareRows(db.connection());
    this.buckets = buckets;
  }

  @Override
  public void createShare(ShareLinkRecord link) {
    db.transaction("createShare", () -> {
      buckets.require(link.bucket());
      shares.insert(link);
      return null;
    });
  }

  @Override
  public Optional<ShareLinkRecord> share(String id) {
    return db.locked("share", () -> shares.find("id", id));
  }

  @Override
  public Optional<ShareLinkRecord> shareByTokenHash(String tokenHash) {
    return db.locked("shareByTokenHash", () -> shares.find("token_hash", tokenHash));
  }

  @Override
  public List<ShareLinkRecord> shares(String tenant) {
    return db.locked("shares", () -> shares.ofTenant(tenant));
  }

  @Override
  public boolean revokeShare(String id, Instant at) {
    return db.locked("revokeShare", () -> shares.revoke(id, at));
  }

  @Override
  public boolean countShareDownload(String id, Instant now) {
    return db.locked("countShareDownload", () -> shares.countDownload(id, now));
  }

  @Override
  public int deleteSharesEndedBefore(Instant cutoff) {
    return db.locked("deleteSharesEndedBefore", () -> shares.deleteEndedBefore(cutoff));
  }
}
