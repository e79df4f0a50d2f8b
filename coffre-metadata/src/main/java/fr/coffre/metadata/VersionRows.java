package fr.coffre.metadata;

import fr.coffre.core.BucketName;
import fr.coffre.core.DeleteMarker;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.ObjectVersion;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * SQL for the {@code object_versions} table: the versions of a key that are not its current object
 * (older versions, and delete markers, the newest of which may be the key's latest), ordered by
 * {@code seq}, run in the caller's {@link Session}.
 */
final class VersionRows {
  /** {@link ObjectRows#COLUMNS}, then whether the row is a delete marker, then its seq. */
  static final String COLUMNS = ObjectRows.COLUMNS + ", delete_marker, seq";

  private static final byte[] NOTHING = new byte[0];

  private final Connection c;
  private final Dialect dialect;
  private final Sealing sealing;

  VersionRows(Connection c, Dialect dialect, Sealing sealing) {
    this.c = c;
    this.dialect = dialect;
    this.sealing = sealing;
  }

  /** A version and its place among its key's versions. */
  record Located(ObjectVersion version, long seq) {}

  Optional<Located> find(BucketName bucket, ObjectKey key, String versionId, String lock)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM object_versions WHERE bucket = ? AND key = ? AND version_id = ?"
                + dialect.lock(lock))) {
      ps.setString(1, bucket.value());
      ps.setBytes(2, key.utf8());
      ps.setString(3, versionId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(located(bucket, rs)) : Optional.empty();
      }
    }
  }

  /** The newest row of the key, if any. */
  Optional<Located> newest(BucketName bucket, ObjectKey key, String lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM object_versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1"
                + dialect.lock(lock))) {
      ps.setString(1, bucket.value());
      ps.setBytes(2, key.utf8());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(located(bucket, rs)) : Optional.empty();
      }
    }
  }

  /** The highest seq of the key's rows, or -1. */
  long maxSeq(BucketName bucket, ObjectKey key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT MAX(seq) FROM object_versions WHERE bucket = ? AND key = ?")) {
      ps.setString(1, bucket.value());
      ps.setBytes(2, key.utf8());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long max = rs.getLong(1);
        return rs.wasNull() ? -1 : max;
      }
    }
  }

  /** Adds a version with content that stopped being current at {@code noncurrentSince}. */
  void insert(ObjectRecord r, long seq, Instant noncurrentSince) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO object_versions (bucket, "
                + COLUMNS
                + ", noncurrent_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)")) {
      ps.setString(1, r.bucket().value());
      ObjectRows.bind(ps, 2, r, sealing);
      ps.setLong(2 + ObjectRows.COLUMN_COUNT, seq);
      ps.setLong(3 + ObjectRows.COLUMN_COUNT, noncurrentSince.toEpochMilli());
      ps.executeUpdate();
    }
  }

  /** Adds a delete marker as the key's newest version. */
  void insertMarker(DeleteMarker m, long seq) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO object_versions (bucket, "
                + COLUMNS
                + ", noncurrent_ms) VALUES (?, ?, 0, '', ?, '', ?, '', ?, ?, NULL, NULL, 0, NULL, 1, ?, ?)")) {
      ps.setString(1, m.bucket().value());
      ps.setBytes(2, m.key().utf8());
      ps.setLong(3, m.lastModified().toEpochMilli());
      ps.setBytes(4, NOTHING);
      ps.setBytes(5, NOTHING);
      ps.setString(6, m.versionId());
      ps.setLong(7, seq);
      ps.setLong(8, m.lastModified().toEpochMilli());
      ps.executeUpdate();
    }
  }

  void delete(BucketName bucket, ObjectKey key, long seq) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM object_versions WHERE bucket = ? AND key = ? AND seq = ?")) {
      ps.setString(1, bucket.value());
      ps.setBytes(2, key.utf8());
      ps.setLong(3, seq);
      ps.executeUpdate();
    }
  }

  /**
   * The version in a row selected with {@link #COLUMNS} (whose key is column 1): an object or a
   * delete marker.
   */
  static ObjectVersion version(BucketName bucket, ResultSet rs, Sealing sealing)
      throws SQLException {
    if (rs.getInt(ObjectRows.COLUMN_COUNT + 1) != 0) {
      return new DeleteMarker(
          bucket,
          new ObjectKey(new String(rs.getBytes(1), StandardCharsets.UTF_8)),
          rs.getString(9),
          Instant.ofEpochMilli(rs.getLong(4)));
    }
    return ObjectRows.object(bucket, rs, sealing);
  }

  Located located(BucketName bucket, ResultSet rs) throws SQLException {
    return new Located(version(bucket, rs, sealing), rs.getLong(ObjectRows.COLUMN_COUNT + 2));
  }
}
