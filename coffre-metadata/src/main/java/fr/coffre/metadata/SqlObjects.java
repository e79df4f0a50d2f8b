package fr.coffre.metadata;

import fr.coffre.core.BlobId;
import fr.coffre.core.BucketName;
import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.PreconditionFailedException;
import fr.coffre.core.WriteCondition;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Consumer;

/** The {@link ObjectStore} of the SQL stores: objects, conditional puts, listings. */
final class SqlObjects implements ObjectStore {
  /** How often a put retries after losing the creation of its key to another writer. */
  private static final int MAX_CREATION_RACES = 16;

  private final SqlDatabase db;

  SqlObjects(SqlDatabase db) {
    this.db = db;
  }

  @Override
  public Optional<ObjectRecord> object(BucketName bucket, ObjectKey key) {
    return db.read(
        "object",
        s -> {
          s.buckets().require(bucket);
          return s.objects().find(bucket, key);
        });
  }

  @Override
  public Optional<ObjectRecord> putObject(ObjectRecord record, WriteCondition condition) {
    return db.transaction("putObject", s -> put(s, record, condition));
  }

  /**
   * Writes {@code record} if {@code condition} holds and the quotas allow it, returning the record
   * it replaced; runs in the caller's transaction (a multipart completion shares it).
   *
   * <p>Race-free on several connections: the bucket is held (key share) so it cannot be deleted
   * meanwhile; an existing row is read locked, so the condition is checked against the version that
   * gets replaced; a key that does not exist yet is created with an insert that does nothing if
   * another writer created it first, and then the put starts over against that writer's row: of
   * racing create-only puts exactly one wins, and every replaced record is returned to exactly one
   * caller (who reclaims its blobs). The quota check comes last: see {@link
   * IdentityRows#checkQuotaAfterWrite}.
   */
  static Optional<ObjectRecord> put(Session s, ObjectRecord record, WriteCondition condition)
      throws SQLException {
    s.buckets().require(record.bucket(), Dialect.FOR_KEY_SHARE);
    for (int attempt = 0; attempt < MAX_CREATION_RACES; attempt++) {
      Optional<ObjectRecord> previous =
          s.objects().find(record.bucket(), record.key(), Dialect.FOR_UPDATE);
      if (condition.mustBeAbsent() && previous.isPresent()) {
        throw new PreconditionFailedException("If-None-Match");
      }
      if (condition.mustMatch() != null
          && (previous.isEmpty() || !previous.get().etag().equals(condition.mustMatch()))) {
        throw new PreconditionFailedException("If-Match");
      }
      if (previous.isPresent()) {
        s.objects().update(record);
      } else if (!s.objects().insertIfAbsent(record)) {
        continue; // created meanwhile by another writer: read its row (committed by now) and decide
        // again
      }
      s.identities()
          .checkQuotaAfterWrite(
              record.bucket(),
              previous.isPresent() ? 0 : 1,
              record.size() - previous.map(ObjectRecord::size).orElse(0L));
      return previous;
    }
    throw new SQLException(
        "key " + record.key().value() + " kept being created and deleted by other writers");
  }

  @Override
  public boolean replaceAttributes(ObjectRecord current, byte[] sealedAttributes) {
    return db.transaction(
        "replaceAttributes", s -> s.objects().replaceAttributes(current, sealedAttributes));
  }

  @Override
  public Optional<ObjectRecord> deleteObject(BucketName bucket, ObjectKey key) {
    return db.transaction(
        "deleteObject",
        s -> {
          s.buckets().require(bucket);
          Optional<ObjectRecord> previous = s.objects().find(bucket, key, Dialect.FOR_UPDATE);
          if (previous.isPresent()) {
            s.objects().delete(bucket, key);
          }
          return previous;
        });
  }

  @Override
  public ListPage list(BucketName bucket, ListQuery query) {
    return db.read(
        "list",
        s -> {
          s.buckets().require(bucket);
          return s.lister().list(bucket, query);
        });
  }

  @Override
  public void forEachReferencedBlob(Consumer<BlobId> visitor) {
    // A transaction, so that PostgreSQL streams the rows through a cursor.
    db.transaction(
        "forEachReferencedBlob",
        s -> {
          s.objects().forEachBlob(visitor);
          s.uploads().allPartBlobs().forEach(visitor);
          return null;
        });
  }
}
