package fr.coffre.metadata;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.BlobId;
import fr.coffre.core.BucketName;
import fr.coffre.core.DeleteMarker;
import fr.coffre.core.DeleteMarkerException;
import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.LockState;
import fr.coffre.core.NoSuchVersionException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectLockException;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.ObjectVersion;
import fr.coffre.core.PreconditionFailedException;
import fr.coffre.core.VersionPage;
import fr.coffre.core.VersionQuery;
import fr.coffre.core.Versioning;
import fr.coffre.core.WriteCondition;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ObjectStore} of the SQL stores: objects and their versions, conditional puts,
 * listings.
 *
 * <p>A key's current object is its row in {@code objects}; its other versions are rows of {@code
 * object_versions}. Each version has a sequence number, unique per key and growing with each new
 * version, so "newest first" is "highest seq first" and the current object, when there is one,
 * always has the highest. In a versioned bucket the writers of one key are serialized ({@link
 * Session#lockKey}) for the time of a transaction, since each reads the highest seq and adds after
 * it.
 */
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
  public Optional<ObjectVersion> latest(BucketName bucket, ObjectKey key) {
    return db.read(
        "latest",
        s -> {
          s.buckets().require(bucket);
          Optional<ObjectRecord> current = s.objects().find(bucket, key);
          if (current.isPresent()) {
            return Optional.<ObjectVersion>of(current.get());
          }
          return s.versions().newest(bucket, key, "").map(VersionRows.Located::version);
        });
  }

  @Override
  public Optional<ObjectVersion> version(BucketName bucket, ObjectKey key, String versionId) {
    return db.read(
        "version",
        s -> {
          s.buckets().require(bucket);
          Optional<ObjectRecord> current = s.objects().find(bucket, key);
          if (current.isPresent() && current.get().versionId().equals(versionId)) {
            return Optional.<ObjectVersion>of(current.get());
          }
          return s.versions().find(bucket, key, versionId, "").map(VersionRows.Located::version);
        });
  }

  @Override
  public Written putObject(ObjectRecord record, WriteCondition condition) {
    return db.transaction("putObject", s -> put(s, record, condition));
  }

  /**
   * Writes {@code record} if {@code condition} holds and the quotas allow it; runs in the caller's
   * transaction (a multipart completion shares it).
   *
   * <p>Race-free on several connections: the bucket is held (key share) so it cannot be deleted
   * meanwhile; an existing row is read locked, so the condition is checked against the version that
   * gets replaced. In an unversioned bucket a key that does not exist yet is created with an insert
   * that does nothing if another writer created it first, and then the put starts over against that
   * writer's row: of racing create-only puts exactly one wins, and every replaced record is
   * returned to exactly one caller (who reclaims its blobs). The quota check comes last: see {@link
   * IdentityRows#checkQuotaAfterWrite}.
   */
  static Written put(Session s, ObjectRecord record, WriteCondition condition) throws SQLException {
    BucketName bucket = record.bucket();
    ObjectKey key = record.key();
    Versioning versioning = s.buckets().versioning(bucket, Dialect.FOR_KEY_SHARE);
    if (versioning != Versioning.UNVERSIONED) {
      return putVersion(s, record, condition, versioning);
    }
    ObjectRecord stored = record.withVersionId(ObjectVersion.NULL_ID);
    for (int attempt = 0; attempt < MAX_CREATION_RACES; attempt++) {
      Optional<ObjectRecord> previous = s.objects().find(bucket, key, Dialect.FOR_UPDATE);
      check(condition, previous);
      if (previous.isPresent()) {
        s.objects().update(stored, 0);
      } else if (!s.objects().insertIfAbsent(stored, 0)) {
        continue; // created meanwhile by another writer: read its row (committed by now) again
      }
      s.identities()
          .checkQuotaAfterWrite(
              bucket,
              previous.isPresent() ? 0 : 1,
              stored.size() - previous.map(ObjectRecord::size).orElse(0L));
      return new Written(stored, previous);
    }
    throw new SQLException(
        "key " + key.value() + " kept being created and deleted by other writers");
  }

  private static Written putVersion(
      Session s, ObjectRecord record, WriteCondition condition, Versioning versioning)
      throws SQLException {
    BucketName bucket = record.bucket();
    ObjectKey key = record.key();
    s.lockKey(bucket, key);
    Optional<ObjectRecord> previous = s.objects().find(bucket, key, Dialect.FOR_UPDATE);
    check(condition, previous);
    long previousSeq = previous.isPresent() ? s.objects().seq(bucket, key) : -1;
    long top = Math.max(previousSeq, s.versions().maxSeq(bucket, key));
    Optional<ObjectRecord> replaced = Optional.empty();
    ObjectRecord stored;
    if (versioning == Versioning.ENABLED) {
      stored = record.withVersionId(VersionIds.next());
    } else {
      stored = record.withVersionId(ObjectVersion.NULL_ID);
      if (previous.isPresent() && previous.get().versionId().equals(ObjectVersion.NULL_ID)) {
        replaced = previous;
      } else {
        replaced = removeNullVersion(s, bucket, key);
      }
    }
    boolean previousReplaced = replaced.isPresent() && replaced.equals(previous);
    if (previous.isPresent() && !previousReplaced) {
      s.versions().insert(previous.get(), previousSeq, stored.lastModified());
    }
    if (previous.isPresent()) {
      s.objects().update(stored, top + 1);
    } else if (!s.objects().insertIfAbsent(stored, top + 1)) {
      throw new SQLException("key " + key.value() + " was created by a writer not holding it");
    }
    s.identities()
        .checkQuotaAfterWrite(
            bucket,
            replaced.isPresent() ? 0 : 1,
            stored.size() - replaced.map(ObjectRecord::size).orElse(0L));
    return new Written(stored, replaced);
  }

  /**
   * Removes the key's {@code null} version from object_versions, returning it if it has content.
   */
  private static Optional<ObjectRecord> removeNullVersion(
      Session s, BucketName bucket, ObjectKey key) throws SQLException {
    Optional<VersionRows.Located> old =
        s.versions().find(bucket, key, ObjectVersion.NULL_ID, Dialect.FOR_UPDATE);
    if (old.isEmpty()) {
      return Optional.empty();
    }
    s.versions().delete(bucket, key, old.get().seq());
    return old.get().version() instanceof ObjectRecord o ? Optional.of(o) : Optional.empty();
  }

  private static void check(WriteCondition condition, Optional<ObjectRecord> previous) {
    if (condition.mustBeAbsent() && previous.isPresent()) {
      throw new PreconditionFailedException("If-None-Match");
    }
    if (condition.mustMatch() != null
        && (previous.isEmpty() || !previous.get().etag().equals(condition.mustMatch()))) {
      throw new PreconditionFailedException("If-Match");
    }
  }

  @Override
  public boolean replaceAttributes(ObjectRecord version, byte[] sealedAttributes) {
    return db.transaction(
        "replaceAttributes", s -> s.objects().replaceAttributes(version, sealedAttributes));
  }

  @Override
  public boolean setAcl(
      BucketName bucket, ObjectKey key, String versionId, @Nullable AccessControlList acl) {
    return db.transaction("setAcl", s -> s.objects().setAcl(bucket, key, versionId, acl));
  }

  @Override
  public Removal deleteObject(BucketName bucket, ObjectKey key, Instant now) {
    return db.transaction(
        "deleteObject",
        s -> {
          Versioning versioning = s.buckets().versioning(bucket, Dialect.FOR_KEY_SHARE);
          if (versioning == Versioning.UNVERSIONED) {
            Optional<ObjectRecord> previous = s.objects().find(bucket, key, Dialect.FOR_UPDATE);
            if (previous.isPresent()) {
              s.objects().delete(bucket, key);
            }
            return new Removal(previous.map(ObjectVersion.class::cast), Optional.empty());
          }
          s.lockKey(bucket, key);
          Optional<ObjectRecord> previous = s.objects().find(bucket, key, Dialect.FOR_UPDATE);
          long previousSeq = previous.isPresent() ? s.objects().seq(bucket, key) : -1;
          long top = Math.max(previousSeq, s.versions().maxSeq(bucket, key));
          Optional<ObjectVersion> removed = Optional.empty();
          boolean previousRemoved = false;
          String id = VersionIds.next();
          if (versioning == Versioning.SUSPENDED) {
            id = ObjectVersion.NULL_ID;
            if (previous.isPresent() && previous.get().versionId().equals(ObjectVersion.NULL_ID)) {
              removed = Optional.of(previous.get());
              previousRemoved = true;
            } else {
              Optional<VersionRows.Located> old =
                  s.versions().find(bucket, key, ObjectVersion.NULL_ID, Dialect.FOR_UPDATE);
              if (old.isPresent()) {
                s.versions().delete(bucket, key, old.get().seq());
                removed = Optional.of(old.get().version());
              }
            }
          }
          if (previous.isPresent()) {
            if (!previousRemoved) {
              s.versions().insert(previous.get(), previousSeq, now);
            }
            s.objects().delete(bucket, key);
          }
          DeleteMarker marker = new DeleteMarker(bucket, key, id, now);
          s.versions().insertMarker(marker, top + 1);
          return new Removal(removed, Optional.of(marker));
        });
  }

  @Override
  public Removal deleteVersion(
      BucketName bucket, ObjectKey key, String versionId, Instant now, boolean bypassGovernance) {
    return db.transaction(
        "deleteVersion",
        s -> {
          s.buckets().require(bucket, Dialect.FOR_KEY_SHARE);
          s.lockKey(bucket, key);
          Optional<ObjectRecord> current = s.objects().find(bucket, key, Dialect.FOR_UPDATE);
          if (current.isPresent() && current.get().versionId().equals(versionId)) {
            requireRemovable(current.get(), now, bypassGovernance);
            s.objects().delete(bucket, key);
            promoteNewest(s, bucket, key);
            return new Removal(Optional.of(current.get()), Optional.empty());
          }
          Optional<VersionRows.Located> found =
              s.versions().find(bucket, key, versionId, Dialect.FOR_UPDATE);
          if (found.isEmpty()) {
            return Removal.NOTHING;
          }
          if (found.get().version() instanceof ObjectRecord o) {
            requireRemovable(o, now, bypassGovernance);
          }
          s.versions().delete(bucket, key, found.get().seq());
          if (current.isEmpty()) {
            promoteNewest(s, bucket, key);
          }
          return new Removal(Optional.of(found.get().version()), Optional.empty());
        });
  }

  /** With no current object, makes the newest version current if it has content. */
  private static void promoteNewest(Session s, BucketName bucket, ObjectKey key)
      throws SQLException {
    Optional<VersionRows.Located> newest = s.versions().newest(bucket, key, Dialect.FOR_UPDATE);
    if (newest.isPresent() && newest.get().version() instanceof ObjectRecord o) {
      s.versions().delete(bucket, key, newest.get().seq());
      if (!s.objects().insertIfAbsent(o, newest.get().seq())) {
        throw new SQLException("key " + key.value() + " got a current object while held");
      }
    }
  }

  private static void requireRemovable(ObjectRecord o, Instant now, boolean bypassGovernance) {
    if (!o.lock().removableAt(now, bypassGovernance)) {
      throw new ObjectLockException(
          ObjectLockException.Reason.LOCKED,
          o.lock().legalHold()
              ? "Access Denied: the object version is under a legal hold."
              : "Access Denied: the object version is retained by Object Lock until "
                  + o.lock().retainUntil()
                  + ".");
    }
  }

  @Override
  public LockState changeLock(
      BucketName bucket, ObjectKey key, String versionId, UnaryOperator<LockState> change) {
    return db.transaction(
        "changeLock",
        s -> {
          s.buckets().require(bucket, Dialect.FOR_KEY_SHARE);
          s.lockKey(bucket, key);
          Optional<ObjectRecord> current = s.objects().find(bucket, key, Dialect.FOR_UPDATE);
          ObjectVersion version;
          if (current.isPresent() && current.get().versionId().equals(versionId)) {
            version = current.get();
          } else {
            version =
                s.versions()
                    .find(bucket, key, versionId, Dialect.FOR_UPDATE)
                    .map(VersionRows.Located::version)
                    .orElseThrow(() -> new NoSuchVersionException(key.value(), versionId));
          }
          if (!(version instanceof ObjectRecord o)) {
            throw new DeleteMarkerException(key.value(), versionId, true);
          }
          LockState next = change.apply(o.lock());
          if (!next.equals(o.lock())) {
            s.objects().setLock(bucket, key, versionId, next);
          }
          return next;
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
  public VersionPage listVersions(BucketName bucket, VersionQuery query) {
    return db.read(
        "listVersions",
        s -> {
          s.buckets().require(bucket);
          return s.versionLister().list(bucket, query);
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
