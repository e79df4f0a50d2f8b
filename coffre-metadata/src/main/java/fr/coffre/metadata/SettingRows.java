package fr.coffre.metadata;

import fr.coffre.core.BucketName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** SQL for buckets' configuration documents, run in the caller's {@link Session}. */
final class SettingRows {
  private final Connection c;

  SettingRows(Connection c) {
    this.c = c;
  }

  Optional<String> get(BucketName bucket, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT value FROM bucket_settings WHERE bucket = ? AND name = ?")) {
      ps.setString(1, bucket.value());
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** Sets a document, or removes it when {@code value} is null. */
  void put(BucketName bucket, String name, String value) throws SQLException {
    String sql =
        value == null
            ? "DELETE FROM bucket_settings WHERE bucket = ? AND name = ?"
            : "INSERT INTO bucket_settings (bucket, name, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (bucket, name) DO UPDATE SET value = excluded.value";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, bucket.value());
      ps.setString(2, name);
      if (value != null) {
        ps.setString(3, value);
      }
      ps.executeUpdate();
    }
  }

  void deleteAll(BucketName bucket) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM bucket_settings WHERE bucket = ?")) {
      ps.setString(1, bucket.value());
      ps.executeUpdate();
    }
  }
}
