package fr.coffre.metadata;

import fr.coffre.core.BlobId;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketAlreadyOwnedException;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketNotEmptyException;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.ETag;
import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.NoSuchUploadException;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.PartRecord;
import fr.coffre.core.UploadRecord;
import fr.coffre.core.PreconditionFailedException;
import fr.coffre.core.Quota;
import fr.coffre.core.StorageFailureException;
import fr.coffre.core.WriteCondition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The embedded metadata store: one SQLite database in WAL mode with {@code synchronous=FULL}, so a
 * committed transaction survives a crash. One connection serves everything, under a lock (SQLite
 * has a single writer anyway); a read pool and group commit are the next steps when profiles ask.
 */
public final class SqliteMetadataStore implements MetadataStore {
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private final Lister lister;
  private final UploadRows uploads;
  private final SettingRows settings;
  private final KmsRows kms;
  private final IdentityRows identities;
  private final ShareRows shares;

  private SqliteMetadataStore(Connection connection) {
    this.connection = connection;
    this.lister = new Lister(connection);
    this.uploads = new UploadRows(connection);
    this.settings = new SettingRows(connection);
    this.kms = new KmsRows(connection);
    this.identities = new IdentityRows(connection);
    this.shares = new ShareRows(connection);
  }

  public static SqliteMetadataStore open(Path file) {
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA foreign_keys=ON");
        s.execute("PRAGMA busy_timeout=10000");
        // Deleted content is overwritten, not left in free pages: destroyed key material is gone.
        s.execute("PRAGMA secure_delete=ON");
        // INSERT OR REPLACE then fires the delete triggers, which keep bucket_usage exact.
        s.execute("PRAGMA recursive_triggers=ON");
      }
      Schema.migrate(c);
      return new SqliteMetadataStore(c);
    } catch (SQLException e) {
      throw new StorageFailureException("opening metadata database " + file + " failed", e);
    }
  }

  @FunctionalInterface
  private interface Work<T> {
    T run() throws SQLException;
  }

  private <T> T locked(String what, Work<T> work) {
    lock.lock();
    try {
      return work.run();
    } catch (SQLException e) {
      throw new StorageFailureException("metadata " + what + " failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code work} in one transaction, rolled back if it throws. Caller holds the lock. */
  private <T> T transaction(Work<T> work) throws SQLException {
    connection.setAutoCommit(false);
    try {
      T result = work.run();
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  @Override
  public void createBucket(BucketRecord bucket) {
    locked("createBucket", () -> {
      if (findBucket(bucket.name()).isPresent()) {
        throw new BucketAlreadyOwnedException(bucket.name().value());
      }
      try (PreparedStatement ps =
          connection.prepareStatement(
              "INSERT INTO buckets (name, created_ms, region, tenant, quota_bytes, quota_objects, class)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, bucket.name().value());
        ps.setLong(2, bucket.created().toEpochMilli());
        ps.setString(3, bucket.region());
        ps.setString(4, bucket.tenant());
        IdentityRows.setLong(ps, 5, bucket.quota().maxBytes());
        IdentityRows.setLong(ps, 6, bucket.quota().maxObjects());
        ps.setString(7, bucket.sensitivityClass());
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<BucketRecord> bucket(BucketName name) {
    return locked("bucket", () -> findBucket(name));
  }

  private Optional<BucketRecord> findBucket(BucketName name) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT " + BUCKET_COLUMNS + " FROM buckets WHERE name = ?")) {
      ps.setString(1, name.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(bucketRow(rs)) : Optional.empty();
      }
    }
  }

  private static final String BUCKET_COLUMNS = "name, created_ms, region, tenant, quota_bytes, quota_objects, class";

  private static BucketRecord bucketRow(ResultSet rs) throws SQLException {
    return new BucketRecord(new BucketName(rs.getString(1)), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
        rs.getString(4), new Quota(IdentityRows.getLong(rs, 5), IdentityRows.getLong(rs, 6)), rs.getString(7));
  }

  private void requireBucket(BucketName name) throws SQLException {
    if (findBucket(name).isEmpty()) {
      throw new NoSuchBucketException(name.value());
    }
  }

  @Override
  public List<BucketRecord> buckets() {
    return locked("buckets", () -> {
      List<BucketRecord> all = new ArrayList<>();
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("SELECT " + BUCKET_COLUMNS + " FROM buckets ORDER BY name")) {
        while (rs.next()) {
          all.add(bucketRow(rs));
        }
      }
      return all;
    });
  }

  @Override
  public List<PartRecord> deleteBucket(BucketName name) {
    return locked("deleteBucket", () -> transaction(() -> {
      requireBucket(name);
      try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM objects WHERE bucket = ? LIMIT 1")) {
        ps.setString(1, name.value());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            throw new BucketNotEmptyException(name.value());
          }
        }
      }
      List<PartRecord> parts = new ArrayList<>();
      for (String uploadId : uploads.idsInBucket(name)) {
        parts.addAll(uploads.parts(uploadId, 0, PartRecord.MAX_PART_NUMBER));
        uploads.delete(uploadId);
      }
      settings.deleteAll(name);
      try (PreparedStatement ps = connection.prepareStatement("DELETE FROM buckets WHERE name = ?")) {
        ps.setString(1, name.value());
        ps.executeUpdate();
      }
      return parts;
    }));
  }

  @Override
  public Optional<String> bucketSetting(BucketName bucket, String name) {
    return locked("bucketSetting", () -> {
      requireBucket(bucket);
      return settings.get(bucket, name);
    });
  }

  @Override
  public void putBucketSetting(BucketName bucket, String name, String value) {
    locked("putBucketSetting", () -> transaction(() -> {
      requireBucket(bucket);
      settings.put(bucket, name, value);
      return null;
    }));
  }

  @Override
  public Optional<ObjectRecord> object(BucketName bucket, ObjectKey key) {
    return locked("object", () -> {
      requireBucket(bucket);
      return find(bucket, key);
    });
  }

  private Optional<ObjectRecord> find(BucketName bucket, ObjectKey key) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT " + Rows.COLUMNS + " FROM objects WHERE bucket = ? AND key = ?")) {
      ps.setString(1, bucket.value());
      ps.setBytes(2, key.utf8());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(Rows.object(bucket, rs)) : Optional.empty();
      }
    }
  }

  @Override
  public Optional<ObjectRecord> putObject(ObjectRecord record, WriteCondition condition) {
    return locked("putObject", () -> transaction(() -> upsertObject(record, condition)));
  }

  private Optional<ObjectRecord> upsertObject(ObjectRecord record, WriteCondition condition) throws SQLException {
    {
      requireBucket(record.bucket());
      Optional<ObjectRecord> previous = find(record.bucket(), record.key());
      if (condition.mustBeAbsent() && previous.isPresent()) {
        throw new PreconditionFailedException("If-None-Match");
      }
      if (condition.mustMatch() != null
          && (previous.isEmpty() || !previous.get().etag().equals(condition.mustMatch()))) {
        throw new PreconditionFailedException("If-Match");
      }
      identities.checkQuota(record.bucket(), previous.isPresent() ? 0 : 1,
          record.size() - previous.map(ObjectRecord::size).orElse(0L));
      try (PreparedStatement ps =
          connection.prepareStatement(
              "INSERT OR REPLACE INTO objects (bucket, " + Rows.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, record.bucket().value());
        Rows.bind(ps, 2, record);
        ps.executeUpdate();
      }
      return previous;
    }
  }

  @Override
  public boolean replaceAttributes(ObjectRecord current, byte[] sealedAttributes) {
    return locked("replaceAttributes", () -> transaction(() -> {
      try (PreparedStatement ps =
          connection.prepareStatement(
              "UPDATE objects SET attributes = ? WHERE bucket = ? AND key = ? AND blobs = ?")) {
        ps.setBytes(1, sealedAttributes);
        ps.setString(2, current.bucket().value());
        ps.setBytes(3, current.key().utf8());
        ps.setString(4, Rows.blobs(current.blobs()));
        return ps.executeUpdate() == 1;
      }
    }));
  }

  @Override
  public Optional<ObjectRecord> deleteObject(BucketName bucket, ObjectKey key) {
    return locked("deleteObject", () -> transaction(() -> {
      requireBucket(bucket);
      Optional<ObjectRecord> previous = find(bucket, key);
      if (previous.isPresent()) {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM objects WHERE bucket = ? AND key = ?")) {
          ps.setString(1, bucket.value());
          ps.setBytes(2, key.utf8());
          ps.executeUpdate();
        }
      }
      return previous;
    }));
  }

  @Override
  public ListPage list(BucketName bucket, ListQuery query) {
    return locked("list", () -> {
      requireBucket(bucket);
      return lister.list(bucket, query);
    });
  }

  /** Range queries the lister has run; for tests that check listing cost. */
  int listQueries() {
    return lister.queries();
  }

  @Override
  public void forEachReferencedBlob(Consumer<BlobId> visitor) {
    locked("forEachReferencedBlob", () -> {
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("SELECT blobs FROM objects")) {
        while (rs.next()) {
          for (BlobSlice slice : Rows.blobs(rs.getString(1))) {
            visitor.accept(slice.blob());
          }
        }
      }
      uploads.allPartBlobs().forEach(visitor);
      return null;
    });
  }

  @Override
  public void createUpload(UploadRecord upload) {
    locked("createUpload", () -> transaction(() -> {
      requireBucket(upload.bucket());
      uploads.insert(upload);
      return null;
    }));
  }

  @Override
  public Optional<UploadRecord> upload(BucketName bucket, String uploadId) {
    return locked("upload", () -> {
      requireBucket(bucket);
      return uploads.find(uploadId).filter(u -> u.bucket().equals(bucket));
    });
  }

  @Override
  public Optional<PartRecord> putPart(PartRecord part) {
    return locked("putPart", () -> transaction(() -> {
      if (uploads.find(part.uploadId()).isEmpty()) {
        throw new NoSuchUploadException(part.uploadId());
      }
      Optional<PartRecord> previous = uploads.part(part.uploadId(), part.partNumber());
      uploads.upsertPart(part);
      return previous;
    }));
  }

  @Override
  public List<PartRecord> parts(String uploadId, int after, int max) {
    return locked("parts", () -> uploads.parts(uploadId, after, max));
  }

  @Override
  public Optional<ObjectRecord> completeUpload(String uploadId, ObjectRecord object, WriteCondition condition) {
    return locked("completeUpload", () -> transaction(() -> {
      if (uploads.find(uploadId).isEmpty()) {
        throw new NoSuchUploadException(uploadId);
      }
      Optional<ObjectRecord> previous = upsertObject(object, condition);
      uploads.delete(uploadId);
      uploads.rememberCompleted(uploadId, object);
      return previous;
    }));
  }

  @Override
  public List<PartRecord> abortUpload(BucketName bucket, String uploadId) {
    return locked("abortUpload", () -> transaction(() -> {
      requireBucket(bucket);
      if (uploads.find(uploadId).filter(u -> u.bucket().equals(bucket)).isEmpty()) {
        throw new NoSuchUploadException(uploadId);
      }
      List<PartRecord> parts = uploads.parts(uploadId, 0, PartRecord.MAX_PART_NUMBER);
      uploads.delete(uploadId);
      return parts;
    }));
  }

  @Override
  public List<UploadRecord> uploads(BucketName bucket, String prefix, String keyMarker, String uploadIdMarker, int max) {
    return locked("uploads", () -> {
      requireBucket(bucket);
      return uploads.list(bucket, prefix, keyMarker, uploadIdMarker, max);
    });
  }

  @Override
  public Optional<ETag> completedUpload(BucketName bucket, ObjectKey key, String uploadId) {
    return locked("completedUpload", () -> uploads.completed(bucket, key, uploadId));
  }

  @Override
  public int forgetCompletedUploads(Instant cutoff) {
    return locked("forgetCompletedUploads", () -> uploads.forgetCompleted(cutoff));
  }

  @Override
  public List<UploadRecord> uploadsInitiatedBefore(Instant cutoff, int max) {
    return locked("uploadsInitiatedBefore", () -> uploads.initiatedBefore(cutoff, max));
  }

  @Override
  public void close() {
    locked("close", () -> {
      connection.close();
      return null;
    });
  }

  @Override
  public void createKmsKey(fr.coffre.core.KmsKeyRecord key, fr.coffre.core.KmsKeyVersion first) {
    locked("createKmsKey", () -> transaction(() -> {
      kms.insert(key);
      kms.insertVersion(first);
      return null;
    }));
  }

  @Override
  public Optional<fr.coffre.core.KmsKeyRecord> kmsKey(String idOrAlias, boolean byAlias) {
    return locked("kmsKey", () -> kms.find(byAlias ? "alias" : "id", idOrAlias));
  }

  @Override
  public List<fr.coffre.core.KmsKeyRecord> kmsKeys() {
    return locked("kmsKeys", kms::all);
  }

  @Override
  public void updateKmsKey(fr.coffre.core.KmsKeyRecord key) {
    locked("updateKmsKey", () -> {
      kms.update(key);
      return null;
    });
  }

  @Override
  public void rotateKmsKey(fr.coffre.core.KmsKeyRecord key, fr.coffre.core.KmsKeyVersion next) {
    locked("rotateKmsKey", () -> transaction(() -> {
      kms.insertVersion(next);
      kms.update(key);
      return null;
    }));
  }

  @Override
  public List<fr.coffre.core.KmsKeyVersion> kmsKeyVersions(String keyId) {
    return locked("kmsKeyVersions", () -> kms.versions(keyId));
  }

  @Override
  public int destroyKmsKey(fr.coffre.core.KmsKeyRecord destroyed) {
    int n = locked("destroyKmsKey", () -> transaction(() -> {
      int deleted = kms.deleteVersions(destroyed.id());
      kms.update(destroyed);
      return deleted;
    }));
    // Copy the WAL into the database now, so the deleted pages (overwritten there) do not linger
    // in the log either.
    locked("checkpoint", () -> {
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      return null;
    });
    return n;
  }

  @Override
  public fr.coffre.core.KeyUsage keyUsage(String keyRefPrefix) {
    return locked("keyUsage", () -> {
      long[] u = kms.usage(keyRefPrefix);
      return new fr.coffre.core.KeyUsage(u[0], u[1], u[2]);
    });
  }

  @Override
  public List<ObjectRecord> objectsWithKeyRef(String keyRef, int max) {
    return locked("objectsWithKeyRef", () -> kms.objectsWithKeyRef(keyRef, max));
  }

  @Override
  public long countObjectsWithKeyRef(String keyRef) {
    return locked("countObjectsWithKeyRef", () -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*) FROM objects WHERE key_ref = ?")) {
        ps.setString(1, keyRef);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public boolean rewrapObject(ObjectRecord current, String keyRef, byte[] wrappedKey) {
    return locked("rewrapObject", () -> kms.replaceObjectWrapping(current, keyRef, wrappedKey));
  }

  @Override
  public List<UploadRecord> uploadsWithKeyRef(String keyRef, int max) {
    return locked("uploadsWithKeyRef", () -> {
      List<UploadRecord> out = new ArrayList<>();
      for (String id : kms.uploadsWithKeyRef(keyRef, max)) {
        uploads.find(id).ifPresent(out::add);
      }
      return out;
    });
  }

  @Override
  public boolean rewrapUpload(UploadRecord current, String keyRef, byte[] wrappedKey) {
    return locked("rewrapUpload",
        () -> kms.replaceUploadWrapping(current.uploadId(), current.keyRef(), current.wrappedKey(), keyRef, wrappedKey));
  }

  // Tenants, users, access keys, policies, quotas

  @Override
  public void createTenant(fr.coffre.core.TenantRecord tenant) {
    locked("createTenant", () -> transaction(() -> {
      identities.insertTenant(tenant);
      return null;
    }));
  }

  @Override
  public Optional<fr.coffre.core.TenantRecord> tenant(String name) {
    return locked("tenant", () -> identities.tenant(name));
  }

  @Override
  public List<fr.coffre.core.TenantRecord> tenants() {
    return locked("tenants", identities::tenants);
  }

  @Override
  public void setTenantQuota(String tenant, Quota quota) {
    locked("setTenantQuota", () -> transaction(() -> {
      identities.setTenantQuota(tenant, quota);
      return null;
    }));
  }

  @Override
  public void deleteTenant(String tenant) {
    locked("deleteTenant", () -> transaction(() -> {
      identities.deleteTenant(tenant);
      return null;
    }));
  }

  @Override
  public List<BucketRecord> buckets(String tenant) {
    return locked("bucketsOfTenant", () -> {
      List<BucketRecord> all = new ArrayList<>();
      try (PreparedStatement ps =
          connection.prepareStatement("SELECT " + BUCKET_COLUMNS + " FROM buckets WHERE tenant = ? ORDER BY name")) {
        ps.setString(1, tenant);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            all.add(bucketRow(rs));
          }
        }
      }
      return all;
    });
  }

  @Override
  public void setBucketClass(BucketName bucket, String sensitivityClass) {
    locked("setBucketClass", () -> {
      try (PreparedStatement ps = connection.prepareStatement("UPDATE buckets SET class = ? WHERE name = ?")) {
        ps.setString(1, sensitivityClass);
        ps.setString(2, bucket.value());
        if (ps.executeUpdate() == 0) {
          throw new NoSuchBucketException(bucket.value());
        }
      }
      return null;
    });
  }

  @Override
  public void setBucketQuota(BucketName bucket, Quota quota) {
    locked("setBucketQuota", () -> transaction(() -> {
      identities.setBucketQuota(bucket, quota);
      return null;
    }));
  }

  @Override
  public fr.coffre.core.Usage bucketUsage(BucketName bucket) {
    return locked("bucketUsage", () -> identities.bucketUsage(bucket));
  }

  @Override
  public fr.coffre.core.Usage tenantUsage(String tenant) {
    return locked("tenantUsage", () -> identities.tenantUsage(tenant));
  }

  @Override
  public void createUser(fr.coffre.core.UserRecord user) {
    locked("createUser", () -> transaction(() -> {
      identities.insertUser(user);
      return null;
    }));
  }

  @Override
  public Optional<fr.coffre.core.UserRecord> user(String tenant, String name) {
    return locked("user", () -> identities.users(tenant, name).stream().findFirst());
  }

  @Override
  public List<fr.coffre.core.UserRecord> users(String tenant) {
    return locked("users", () -> identities.users(tenant, null));
  }

  @Override
  public void setUserEnabled(String tenant, String name, boolean enabled) {
    locked("setUserEnabled", () -> transaction(() -> {
      identities.setUserEnabled(tenant, name, enabled);
      return null;
    }));
  }

  @Override
  public void deleteUser(String tenant, String name) {
    locked("deleteUser", () -> transaction(() -> {
      identities.deleteUser(tenant, name);
      return null;
    }));
  }

  @Override
  public void putUserPolicy(String tenant, String user, String name, String document) {
    locked("putUserPolicy", () -> transaction(() -> {
      identities.putUserPolicy(tenant, user, name, document);
      return null;
    }));
  }

  @Override
  public java.util.Map<String, String> userPolicies(String tenant, String user) {
    return locked("userPolicies", () -> identities.userPolicies(tenant, user));
  }

  @Override
  public void deleteUserPolicy(String tenant, String user, String name) {
    locked("deleteUserPolicy", () -> transaction(() -> {
      identities.deleteUserPolicy(tenant, user, name);
      return null;
    }));
  }

  @Override
  public void createAccessKey(fr.coffre.core.AccessKeyRecord key) {
    locked("createAccessKey", () -> transaction(() -> {
      identities.insertAccessKey(key);
      return null;
    }));
  }

  @Override
  public Optional<fr.coffre.core.AccessKeyRecord> accessKey(String accessKeyId) {
    return locked("accessKey", () -> identities.accessKeys("access_key = ?", accessKeyId).stream().findFirst());
  }

  @Override
  public List<fr.coffre.core.AccessKeyRecord> accessKeys(String tenant, String user) {
    return locked("accessKeys", () -> user == null
        ? identities.accessKeys("tenant = ?", tenant)
        : identities.accessKeys("tenant = ? AND user = ?", tenant, user));
  }

  @Override
  public void setAccessKeyEnabled(String accessKeyId, boolean enabled) {
    locked("setAccessKeyEnabled", () -> transaction(() -> {
      identities.setAccessKeyEnabled(accessKeyId, enabled);
      return null;
    }));
  }

  @Override
  public void deleteAccessKey(String accessKeyId) {
    locked("deleteAccessKey", () -> transaction(() -> {
      identities.deleteAccessKey(accessKeyId);
      return null;
    }));
  }

  // ------------------------------------------------------------------ share links

  @Override
  public void createShare(fr.coffre.core.ShareLinkRecord link) {
    locked("createShare", () -> transaction(() -> {
      if (findBucket(link.bucket()).isEmpty()) {
        throw new NoSuchBucketException(link.bucket().value());
      }
      shares.insert(link);
      return null;
    }));
  }

  @Override
  public Optional<fr.coffre.core.ShareLinkRecord> share(String id) {
    return locked("share", () -> shares.find("id", id));
  }

  @Override
  public Optional<fr.coffre.core.ShareLinkRecord> shareByTokenHash(String tokenHash) {
    return locked("shareByTokenHash", () -> shares.find("token_hash", tokenHash));
  }

  @Override
  public List<fr.coffre.core.ShareLinkRecord> shares(String tenant) {
    return locked("shares", () -> shares.ofTenant(tenant));
  }

  @Override
  public boolean revokeShare(String id, Instant at) {
    return locked("revokeShare", () -> shares.revoke(id, at));
  }

  @Override
  public boolean countShareDownload(String id, Instant now) {
    return locked("countShareDownload", () -> shares.countDownload(id, now));
  }

  @Override
  public int deleteSharesEndedBefore(Instant cutoff) {
    return locked("deleteSharesEndedBefore", () -> shares.deleteEndedBefore(cutoff));
  }
}
