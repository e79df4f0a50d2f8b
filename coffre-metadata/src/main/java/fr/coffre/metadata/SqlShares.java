package fr.coffre.metadata;

import fr.coffre.core.ShareLinkRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@link ShareStore} of the SQL stores: share links. */
final class SqlShares implements ShareStore {
  private final SqlDatabase db;

  SqlShares(SqlDatabase db) {
    this.db = db;
  }

  @Override
  public void createShare(ShareLinkRecord link) {
    db.transaction(
        "createShare",
        s -> {
          s.buckets().require(link.bucket(), Dialect.FOR_KEY_SHARE);
          s.shares().insert(link);
          return null;
        });
  }

  @Override
  public Optional<ShareLinkRecord> share(String id) {
    return db.read("share", s -> s.shares().find("id", id));
  }

  @Override
  public Optional<ShareLinkRecord> shareByTokenHash(String tokenHash) {
    return db.read("shareByTokenHash", s -> s.shares().find("token_hash", tokenHash));
  }

  @Override
  public List<ShareLinkRecord> shares(String tenant) {
    return db.read("shares", s -> s.shares().ofTenant(tenant));
  }

  @Override
  public boolean revokeShare(String id, Instant at) {
    return db.transaction("revokeShare", s -> s.shares().revoke(id, at));
  }

  @Override
  public boolean countShareDownload(String id, Instant now) {
    return db.transaction("countShareDownload", s -> s.shares().countDownload(id, now));
  }

  @Override
  public int deleteSharesEndedBefore(Instant cutoff) {
    return db.transaction("deleteSharesEndedBefore", s -> s.shares().deleteEndedBefore(cutoff));
  }
}
