package fr.coffre.metadata;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.BlobId;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.ETag;
import fr.coffre.core.LockState;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.RetentionMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * SQL for the {@code objects} table, and the mapping of object records to and from its rows (also
 * used by the lister and the KMS queries), run in the caller's {@link Session}.
 */
final class ObjectRows {
  /**
   * The columns of a version with content, common to {@code objects} and {@code object_versions}.
   */
  static final String COLUMNS =
      "key, size, etag, last_modified_ms, key_ref, wrapped_key, blobs, attributes,"
          + " version_id, lock_mode, lock_until_ms, legal_hold, acl";

  /** How many {@link #COLUMNS} there are: the next column of a query is this plus one. */
  static final int COLUMN_COUNT = 13;

  private final Connection c;
  private final Dialect dialect;
  private final Sealing sealing;

  ObjectRows(Connection c, Dialect dialect, Sealing sealing) {
    this.c = c;
    this.dialect = dialect;
    this.sealing = sealing;
  }

  Optional<ObjectRecord> find(BucketName bucket, ObjectKey key) throws SQLException {
    return find(bucket, key, "");
  }

  /**
   * The key's row, locked as {@code lock} says (a {@link Dialect} constant) until the transaction
   * ends.
   */
  Optional<ObjectRecord> find(BucketName bucket, ObjectKey key, String lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM objects WHERE bucket = ? AND key = ?"
                + dialect.lock(lock))) {
      ps.setString(1, bucket.value());
      ps.setBytes(2, key.utf8());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(object(bucket, rs, sealing)) : Optional.empty();
      }
    }
  }

  /** The sequence number of the key's current row (its place among the key's versions), or -1. */
  long seq(BucketName bucket, ObjectKey key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT seq FROM objects WHERE bucket = ? AND key = ?")) {
      ps.setString(1, bucket.value());
      ps.setBytes(2, key.utf8());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  /**
   * Writes {@code record} as the row of its key, with sequence number {@code seq}, unless the key
   * has one (then false).
   */
  boolean insertIfAbsent(ObjectRecord record, long seq) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO objects (bucket, "
                + COLUMNS
                + ", seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (bucket, key) DO NOTHING")) {
      ps.setString(1, record.bucket().value());
      bind(ps, 2, record, sealing);
      ps.setLong(2 + COLUMN_COUNT, seq);
      return ps.executeUpdate() == 1;
    }
  }

  /** Replaces the row of {@code record}'s key, which exists, with {@code record} as {@code seq}. */
  void update(ObjectRecord record, long seq) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE objects SET size = ?, etag = ?, last_modified_ms = ?, key_ref = ?,"
                + " wrapped_key = ?, blobs = ?, attributes = ?, version_id = ?, lock_mode = ?,"
                + " lock_until_ms = ?, legal_hold = ?, acl = ?, seq = ? WHERE bucket = ? AND key = ?")) {
      ps.setLong(1, record.size());
      ps.setString(2, sealedEtag(record, sealing));
      ps.setLong(3, record.lastModified().toEpochMilli());
      ps.setString(4, record.keyRef());
      ps.setBytes(5, record.wrappedKey());
      ps.setString(6, blobs(record.blobs()));
      ps.setBytes(7, record.sealedAttributes());
      ps.setString(8, record.versionId());
      bindLock(ps, 9, record.lock());
      bindAcl(ps, 12, record.acl());
      ps.setLong(13, seq);
      ps.setString(14, record.bucket().value());
      ps.setBytes(15, record.key().utf8());
      ps.executeUpdate();
    }
  }

  /**
   * Replaces the attributes of {@code current}'s version if it still has its blobs, in whichever
   * table holds it; false otherwise.
   */
  boolean replaceAttributes(ObjectRecord current, byte[] sealedAttributes) throws SQLException {
    for (String table : TABLES) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE "
                  + table
                  + " SET attributes = ? WHERE bucket = ? AND key = ? AND version_id = ?"
                  + " AND blobs = ?")) {
        ps.setBytes(1, sealedAttributes);
        ps.setString(2, current.bucket().value());
        ps.setBytes(3, current.key().utf8());
        ps.setString(4, current.versionId());
        ps.setString(5, blobs(current.blobs()));
        if (ps.executeUpdate() == 1) {
          return true;
        }
      }
    }
    return false;
  }

  /** Sets the lock state of a version, in whichever table holds it; false if there is none. */
  boolean setLock(BucketName bucket, ObjectKey key, String versionId, LockState lock)
      throws SQLException {
    for (String table : TABLES) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE "
                  + table
                  + " SET lock_mode = ?, lock_until_ms = ?, legal_hold = ?"
                  + " WHERE bucket = ? AND key = ? AND version_id = ?")) {
        bindLock(ps, 1, lock);
        ps.setString(4, bucket.value());
        ps.setBytes(5, key.utf8());
        ps.setString(6, versionId);
        if (ps.executeUpdate() == 1) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Sets the access control list of a version with content, in whichever table holds it; false if
   * there is none (or it is a delete marker).
   */
  boolean setAcl(
      BucketName bucket, ObjectKey key, String versionId, @Nullable AccessControlList acl)
      throws SQLException {
    for (String table : TABLES) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE "
                  + table
                  + " SET acl = ? WHERE bucket = ? AND key = ? AND version_id = ?"
                  + (table.equals("objects") ? "" : " AND delete_marker = 0"))) {
        bindAcl(ps, 1, acl);
        ps.setString(2, bucket.value());
        ps.setBytes(3, key.utf8());
        ps.setString(4, versionId);
        if (ps.executeUpdate() == 1) {
          return true;
        }
      }
    }
    return false;
  }

  /** The two tables that hold versions with content: current ones, then the others. */
  static final String[] TABLES = {"objects", "object_versions"};

  void delete(BucketName bucket, ObjectKey key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM objects WHERE bucket = ? AND key = ?")) {
      ps.setString(1, bucket.value());
      ps.setBytes(2, key.utf8());
      ps.executeUpdate();
    }
  }

  /** Calls {@code visitor} with every blob of every object. */
  void forEachBlob(Consumer<BlobId> visitor) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setFetchSize(
          1000); // PostgreSQL streams (inside a transaction) instead of loading every row
      for (String table : TABLES) {
        try (ResultSet rs = s.executeQuery("SELECT blobs FROM " + table)) {
          while (rs.next()) {
            for (BlobSlice slice : blobs(rs.getString(1))) {
              visitor.accept(slice.blob());
            }
          }
        }
      }
    }
  }

  /** The object in a row selected with {@link #COLUMNS}, its ETag opened. */
  static ObjectRecord object(BucketName bucket, ResultSet rs, Sealing sealing) throws SQLException {
    ObjectKey key = new ObjectKey(new String(rs.getBytes(1), StandardCharsets.UTF_8));
    return new ObjectRecord(
        bucket,
        key,
        rs.getLong(2),
        new ETag(sealing.open(rs.getString(3), Sealing.etag(bucket, key, rs.getString(9)))),
        Instant.ofEpochMilli(rs.getLong(4)),
        rs.getString(5),
        rs.getBytes(6),
        blobs(rs.getString(7)),
        rs.getBytes(8),
        rs.getString(9),
        lock(rs, 10),
        acl(rs.getString(13)));
  }

  private static @Nullable AccessControlList acl(@Nullable String column) {
    return column == null ? null : AccessControlList.decode(column);
  }

  static void bindAcl(PreparedStatement ps, int index, @Nullable AccessControlList acl)
      throws SQLException {
    if (acl == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, acl.encode());
    }
  }

  /** The lock state in columns {@code first} to {@code first + 2}. */
  static LockState lock(ResultSet rs, int first) throws SQLException {
    String mode = rs.getString(first);
    long until = rs.getLong(first + 1);
    boolean hasUntil = !rs.wasNull();
    boolean hold = rs.getInt(first + 2) != 0;
    if (mode == null || !hasUntil) {
      return hold ? LockState.NONE.withLegalHold(true) : LockState.NONE;
    }
    return new LockState(RetentionMode.valueOf(mode), Instant.ofEpochMilli(until), hold);
  }

  static void bindLock(PreparedStatement ps, int first, LockState lock) throws SQLException {
    if (lock.mode() == null || lock.retainUntil() == null) {
      ps.setNull(first, Types.VARCHAR);
      ps.setNull(first + 1, Types.BIGINT);
    } else {
      ps.setString(first, lock.mode().name());
      ps.setLong(first + 1, lock.retainUntil().toEpochMilli());
    }
    ps.setInt(first + 2, lock.legalHold() ? 1 : 0);
  }

  /** Binds the record's columns, in {@link #COLUMNS} order, from parameter {@code first}. */
  static void bind(PreparedStatement ps, int first, ObjectRecord r, Sealing sealing)
      throws SQLException {
    ps.setBytes(first, r.key().utf8());
    ps.setLong(first + 1, r.size());
    ps.setString(first + 2, sealedEtag(r, sealing));
    ps.setLong(first + 3, r.lastModified().toEpochMilli());
    ps.setString(first + 4, r.keyRef());
    ps.setBytes(first + 5, r.wrappedKey());
    ps.setString(first + 6, blobs(r.blobs()));
    ps.setBytes(first + 7, r.sealedAttributes());
    ps.setString(first + 8, r.versionId());
    bindLock(ps, first + 9, r.lock());
    bindAcl(ps, first + 12, r.acl());
  }

  /** The record's ETag as its row keeps it: sealed, bound to the version. */
  static String sealedEtag(ObjectRecord r, Sealing sealing) {
    return sealing.seal(r.etag().value(), Sealing.etag(r.bucket(), r.key(), r.versionId()));
  }

  static String blobs(List<BlobSlice> slices) {
    StringBuilder b = new StringBuilder();
    for (BlobSlice s : slices) {
      b.append(b.isEmpty() ? "" : ",").append(s.blob().value()).append(':').append(s.size());
    }
    return b.toString();
  }

  static List<BlobSlice> blobs(String column) {
    List<BlobSlice> slices = new ArrayList<>();
    if (column.isEmpty()) {
      return slices;
    }
    for (String part : column.split(",")) {
      int colon = part.indexOf(':');
      slices.add(
          new BlobSlice(
              new BlobId(part.substring(0, colon)), Long.parseLong(part.substring(colon + 1))));
    }
    return slices;
  }
}
