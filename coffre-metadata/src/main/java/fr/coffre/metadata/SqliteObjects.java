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

/** The {@link ObjectStore} of {@link SqliteMetadataStore}: objects, conditional puts, listings. */
final class SqliteObjects implements ObjectStore {
  private final SqliteDatabase db;
  private final BucketRows buckets;
  private final ObjectRows objects;
  private final IdentityRows identities;
  private final UploadRows uploads;
  private final Lister lister;

  SqliteObjects(SqliteDatabase db, BucketRows buckets, IdentityRows identities, UploadRows uploads) {
    this.db = db;
    this.buckets = buckets;
    this.objects = new ObjectRows(db.connection());
    this.identities = identities;
    this.uploads = uploads;
    this.lister = new Lister(db.connection());
  }

  @Override
  public Optional<ObjectRecord> object(BucketName bucket, ObjectKey key) {
    return db.locked("object", () -> {
      buckets.require(bucket);
      return objects.find(bucket, key);
    });
  }

  @Override
  public Optional<ObjectRecord> putObject(ObjectRecord record, WriteCondition condition) {
    return db.transaction("putObject", () -> put(record, condition));
  }

  /**
   * Writes {@code record} if {@code condition} holds and the quotas allow it, returning the record
   * it replaced; the caller holds the lock and a transaction (a multipart completion shares it).
   */
  Optional<ObjectRecord> put(ObjectRecord record, WriteCondition condition) throws SQLException {
    buckets.require(record.bucket());
    Optional<ObjectRecord> previous = objects.find(record.bucket(), record.key());
    if (condition.mustBeAbsent() && previous.isPresent()) {
      throw new PreconditionFailedException("If-None-Match");
    }
    if (condition.mustMatch() != null
        && (previous.isEmpty() || !previous.get().etag().equals(condition.mustMatch()))) {
      throw new PreconditionFailedException("If-Match");
    }
    identities.checkQuota(record.bucket(), previous.isPresent() ? 0 : 1,
        record.size() - previous.map(ObjectRecord::size).orElse(0L));
    objects.insertOrReplace(record);
    return previous;
  }

  @Override
  public boolean replaceAttributes(ObjectRecord current, byte[] sealedAttributes) {
    return db.transaction("replaceAttributes", () -> objects.replaceAttributes(current, sealedAttributes));
  }

  @Override
  public Optional<ObjectRecord> deleteObject(BucketName bucket, ObjectKey key) {
    return db.transaction("deleteObject", () -> {
      buckets.require(bucket);
      Optional<ObjectRecord> previous = objects.find(bucket, key);
      if (previous.isPresent()) {
        objects.delete(bucket, key);
      }
      return previous;
    });
  }

  @Override
  public ListPage list(BucketName bucket, ListQuery query) {
    return db.locked("list", () -> {
      buckets.require(bucket);
      return lister.list(bucket, query);
    });
  }

  /** Range queries the lister has run; for tests that check listing cost. */
  int listQueries() {
    return lister.queries();
  }

  @Override
  public void forEachReferencedBlob(Consumer<BlobId> visitor) {
    db.locked("forEachReferencedBlob", () -> {
      objects.forEachBlob(visitor);
      uploads.allPartBlobs().forEach(visitor);
      return null;
    });
  }
}
