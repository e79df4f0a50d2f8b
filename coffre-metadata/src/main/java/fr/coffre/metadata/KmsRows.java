package fr.coffre.metadata;

import fr.coffre.core.BucketName;
import fr.coffre.core.KmsKeyRecord;
import fr.coffre.core.KmsKeyState;
import fr.coffre.core.KmsKeyVersion;
import fr.coffre.core.ObjectRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL for KMS keys, their versions and the data keys they wrap, run in the caller's {@link
 * Session}.
 */
final class KmsRows {
  private static final String KEY_COLUMNS =
      "id, alias, description, state, created_ms, current_version, deletion_ms, destroyed_ms, certificate, tenant";

  private final Connection c;
  private final Sealing sealing;

  KmsRows(Connection c, Sealing sealing) {
    this.c = c;
    this.sealing = sealing;
  }

  void insert(KmsKeyRecord k) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO kms_keys (" + KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, k.id());
      bindRest(ps, 2, k);
      ps.setString(10, k.tenant());
      ps.executeUpdate();
    }
  }

  void update(KmsKeyRecord k) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE kms_keys SET alias = ?, description = ?, state = ?, created_ms = ?, current_version = ?,"
                + " deletion_ms = ?, destroyed_ms = ?, certificate = ? WHERE id = ?")) {
      bindRest(ps, 1, k);
      ps.setString(9, k.id());
      ps.executeUpdate();
    }
  }

  private static void bindRest(PreparedStatement ps, int i, KmsKeyRecord k) throws SQLException {
    ps.setString(i, k.alias());
    ps.setString(i + 1, k.description());
    ps.setString(i + 2, k.state().name());
    ps.setLong(i + 3, k.created().toEpochMilli());
    ps.setInt(i + 4, k.currentVersion());
    setInstant(ps, i + 5, k.deletionDate());
    setInstant(ps, i + 6, k.destroyed());
    ps.setString(i + 7, k.certificate());
  }

  private static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, t.toEpochMilli());
    }
  }

  Optional<KmsKeyRecord> find(String column, String value) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + KEY_COLUMNS + " FROM kms_keys WHERE " + column + " = ?")) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(key(rs)) : Optional.empty();
      }
    }
  }

  List<KmsKeyRecord> all() throws SQLException {
    List<KmsKeyRecord> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement("SELECT " + KEY_COLUMNS + " FROM kms_keys ORDER BY created_ms, id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(key(rs));
      }
    }
    return out;
  }

  private static KmsKeyRecord key(ResultSet rs) throws SQLException {
    return new KmsKeyRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        KmsKeyState.valueOf(rs.getString(4)),
        Instant.ofEpochMilli(rs.getLong(5)),
        rs.getInt(6),
        instant(rs, 7),
        instant(rs, 8),
        rs.getString(9),
        rs.getString(10));
  }

  private static Instant instant(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  void insertVersion(KmsKeyVersion v) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO kms_key_versions (key_id, version, root_key_id, material, created_ms) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, v.keyId());
      ps.setInt(2, v.version());
      ps.setString(3, v.rootKeyId());
      ps.setBytes(4, v.wrappedMaterial());
      ps.setLong(5, v.created().toEpochMilli());
      ps.executeUpdate();
    }
  }

  List<KmsKeyVersion> versionsWrappedBy(String rootKeyId, int max) throws SQLException {
    List<KmsKeyVersion> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT key_id, version, material, created_ms FROM kms_key_versions"
                + " WHERE root_key_id = ? ORDER BY key_id, version LIMIT ?")) {
      ps.setString(1, rootKeyId);
      ps.setInt(2, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new KmsKeyVersion(
                  rs.getString(1),
                  rs.getInt(2),
                  rootKeyId,
                  rs.getBytes(3),
                  Instant.ofEpochMilli(rs.getLong(4))));
        }
      }
    }
    return out;
  }

  boolean replaceVersionWrapping(KmsKeyVersion current, KmsKeyVersion rewrapped)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE kms_key_versions SET root_key_id = ?, material = ?"
                + " WHERE key_id = ? AND version = ? AND root_key_id = ? AND material = ?")) {
      ps.setString(1, rewrapped.rootKeyId());
      ps.setBytes(2, rewrapped.wrappedMaterial());
      ps.setString(3, current.keyId());
      ps.setInt(4, current.version());
      ps.setString(5, current.rootKeyId());
      ps.setBytes(6, current.wrappedMaterial());
      return ps.executeUpdate() == 1;
    }
  }

  /** The sealing key (one row at most: the lowest id, should a second ever appear). */
  Optional<KmsKeyVersion> sealingKey() throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, root_key_id, material, created_ms FROM sealing_keys ORDER BY id LIMIT 1")) {
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new KmsKeyVersion(
                    rs.getString(1),
                    1,
                    rs.getString(2),
                    rs.getBytes(3),
                    Instant.ofEpochMilli(rs.getLong(4))))
            : Optional.empty();
      }
    }
  }

  void insertSealingKeyIfAbsent(KmsKeyVersion k) throws SQLException {
    if (sealingKey().isPresent()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO sealing_keys (id, root_key_id, material, created_ms) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (id) DO NOTHING")) {
      ps.setString(1, k.keyId());
      ps.setString(2, k.rootKeyId());
      ps.setBytes(3, k.wrappedMaterial());
      ps.setLong(4, k.created().toEpochMilli());
      ps.executeUpdate();
    }
  }

  boolean replaceSealingKeyWrapping(KmsKeyVersion current, KmsKeyVersion rewrapped)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE sealing_keys SET root_key_id = ?, material = ?"
                + " WHERE id = ? AND root_key_id = ? AND material = ?")) {
      ps.setString(1, rewrapped.rootKeyId());
      ps.setBytes(2, rewrapped.wrappedMaterial());
      ps.setString(3, current.keyId());
      ps.setString(4, current.rootKeyId());
      ps.setBytes(5, current.wrappedMaterial());
      return ps.executeUpdate() == 1;
    }
  }

  List<KmsKeyVersion> versions(String keyId) throws SQLException {
    List<KmsKeyVersion> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT version, root_key_id, material, created_ms FROM kms_key_versions WHERE key_id = ? ORDER BY version")) {
      ps.setString(1, keyId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new KmsKeyVersion(
                  keyId,
                  rs.getInt(1),
                  rs.getString(2),
                  rs.getBytes(3),
                  Instant.ofEpochMilli(rs.getLong(4))));
        }
      }
    }
    return out;
  }

  int deleteVersions(String keyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM kms_key_versions WHERE key_id = ?")) {
      ps.setString(1, keyId);
      return ps.executeUpdate();
    }
  }

  /** Objects, their bytes and uploads whose data key reference starts with {@code prefix}. */
  long[] usage(String prefix) throws SQLException {
    long[] out = new long[3];
    // A range on key_ref (indexed): every reference that starts with the prefix.
    String upper =
        prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
    for (String table : ObjectRows.TABLES) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM "
                  + table
                  + " WHERE key_ref >= ? AND key_ref < ?")) {
        ps.setString(1, prefix);
        ps.setString(2, upper);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          out[0] += rs.getLong(1);
          out[1] += rs.getLong(2);
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT COUNT(*) FROM uploads WHERE key_ref >= ? AND key_ref < ?")) {
      ps.setString(1, prefix);
      ps.setString(2, upper);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        out[2] = rs.getLong(1);
      }
    }
    return out;
  }

  List<fr.coffre.core.ErasureCoverage.Entry> versionsUnderKeyRef(String prefix)
      throws SQLException {
    String upper =
        prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
    List<fr.coffre.core.ErasureCoverage.Entry> out = new ArrayList<>();
    for (String table : ObjectRows.TABLES) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT bucket, key, version_id FROM "
                  + table
                  + " WHERE key_ref >= ? AND key_ref < ?")) {
        ps.setString(1, prefix);
        ps.setString(2, upper);
        ps.setFetchSize(1000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(
                new fr.coffre.core.ErasureCoverage.Entry(
                    rs.getString(1),
                    new String(rs.getBytes(2), java.nio.charset.StandardCharsets.UTF_8),
                    rs.getString(3)));
          }
        }
      }
    }
    return out;
  }

  void saveCoverage(String keyId, byte[] document) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE kms_keys SET covered = ? WHERE id = ?")) {
      ps.setBytes(1, document);
      ps.setString(2, keyId);
      ps.executeUpdate();
    }
  }

  Optional<byte[]> coverage(String keyId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT covered FROM kms_keys WHERE id = ?")) {
      ps.setString(1, keyId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.empty();
      }
    }
  }

  /** Versions with content (current or not) whose data key reference is {@code keyRef}. */
  List<ObjectRecord> objectsWithKeyRef(String keyRef, int max) throws SQLException {
    List<ObjectRecord> out = new ArrayList<>();
    for (String table : ObjectRows.TABLES) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + ObjectRows.COLUMNS
                  + ", bucket FROM "
                  + table
                  + " WHERE key_ref = ? LIMIT ?")) {
        ps.setString(1, keyRef);
        ps.setInt(2, max - out.size());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(
                ObjectRows.object(
                    new BucketName(rs.getString(ObjectRows.COLUMN_COUNT + 1)), rs, sealing));
          }
        }
      }
      if (out.size() >= max) {
        break;
      }
    }
    return out;
  }

  long countObjectsWithKeyRef(String keyRef) throws SQLException {
    long n = 0;
    for (String table : ObjectRows.TABLES) {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE key_ref = ?")) {
        ps.setString(1, keyRef);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          n += rs.getLong(1);
        }
      }
    }
    return n;
  }

  /**
   * Versions under a key reference starting with {@code prefix} that Object Lock keeps at {@code
   * nowMs}: a legal hold, or a retention until later.
   */
  long countLockedWithKeyRefPrefix(String prefix, long nowMs) throws SQLException {
    String upper =
        prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
    long n = 0;
    for (String table : ObjectRows.TABLES) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT COUNT(*) FROM "
                  + table
                  + " WHERE key_ref >= ? AND key_ref < ?"
                  + " AND (legal_hold <> 0 OR lock_until_ms > ?)")) {
        ps.setString(1, prefix);
        ps.setString(2, upper);
        ps.setLong(3, nowMs);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          n += rs.getLong(1);
        }
      }
    }
    return n;
  }

  boolean replaceObjectWrapping(ObjectRecord current, String keyRef, byte[] wrapped)
      throws SQLException {
    for (String table : ObjectRows.TABLES) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE "
                  + table
                  + " SET key_ref = ?, wrapped_key = ? WHERE bucket = ? AND key = ?"
                  + " AND version_id = ? AND key_ref = ? AND wrapped_key = ?")) {
        ps.setString(1, keyRef);
        ps.setBytes(2, wrapped);
        ps.setString(3, current.bucket().value());
        ps.setBytes(4, current.key().utf8());
        ps.setString(5, current.versionId());
        ps.setString(6, current.keyRef());
        ps.setBytes(7, current.wrappedKey());
        if (ps.executeUpdate() == 1) {
          return true;
        }
      }
    }
    return false;
  }

  /** Ids of uploads whose data key reference is {@code keyRef}. */
  List<String> uploadsWithKeyRef(String keyRef, int max) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT upload_id FROM uploads WHERE key_ref = ? LIMIT ?")) {
      ps.setString(1, keyRef);
      ps.setInt(2, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  boolean replaceUploadWrapping(
      String uploadId, String oldRef, byte[] oldWrapped, String keyRef, byte[] wrapped)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE uploads SET key_ref = ?, wrapped_key = ? WHERE upload_id = ? AND key_ref = ? AND wrapped_key = ?")) {
      ps.setString(1, keyRef);
      ps.setBytes(2, wrapped);
      ps.setString(3, uploadId);
      ps.setString(4, oldRef);
      ps.setBytes(5, oldWrapped);
      return ps.executeUpdate() == 1;
    }
  }
}
