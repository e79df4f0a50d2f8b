package fr.coffre.metadata;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The relational schema, as an ordered list of migrations applied once each and recorded in
 * {@code schema_version}. New features append migrations; applied ones never change.
 */
final class Schema {
  static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
            """
            CREATE TABLE buckets (
              name TEXT PRIMARY KEY,
              created_ms INTEGER NOT NULL,
              region TEXT NOT NULL
            )""",
            // key is the UTF-8 bytes of the object key, so the primary-key order is S3's listing
            // order (unsigned bytes) and a listing is one index range scan.
            """
            CREATE TABLE objects (
              bucket TEXT NOT NULL REFERENCES buckets(name),
              key BLOB NOT NULL,
              size INTEGER NOT NULL,
              etag TEXT NOT NULL,
              last_modified_ms INTEGER NOT NULL,
              key_ref TEXT NOT NULL,
              wrapped_key BLOB NOT NULL,
              blobs TEXT NOT NULL,
              attributes BLOB NOT NULL,
              PRIMARY KEY (bucket, key)
            ) WITHOUT ROWID"""),
          List.of(
            """
            CREATE TABLE uploads (
              upload_id TEXT PRIMARY KEY,
              bucket TEXT NOT NULL REFERENCES buckets(name),
              key BLOB NOT NULL,
              initiated_ms INTEGER NOT NULL,
              key_ref TEXT NOT NULL,
              wrapped_key BLOB NOT NULL,
              attributes BLOB NOT NULL
            )""",
            "CREATE INDEX uploads_by_key ON uploads (bucket, key, initiated_ms, upload_id)",
            """
            CREATE TABLE parts (
              upload_id TEXT NOT NULL REFERENCES uploads(upload_id) ON DELETE CASCADE,
              part_number INTEGER NOT NULL,
              blob TEXT NOT NULL,
              size INTEGER NOT NULL,
              etag TEXT NOT NULL,
              last_modified_ms INTEGER NOT NULL,
              PRIMARY KEY (upload_id, part_number)
            ) WITHOUT ROWID"""),
          List.of(
            // Per-bucket configuration documents (tagging, CORS, ...), opaque to this layer.
            """
            CREATE TABLE bucket_settings (
              bucket TEXT NOT NULL REFERENCES buckets(name),
              name TEXT NOT NULL,
              value TEXT NOT NULL,
              PRIMARY KEY (bucket, name)
            ) WITHOUT ROWID""",
            "ALTER TABLE parts ADD COLUMN checksum TEXT",
            "CREATE INDEX uploads_by_age ON uploads (initiated_ms)"),
          List.of(
            // Uploads recently completed, so that a client retrying CompleteMultipartUpload (its
            // first answer lost) gets the same success instead of NoSuchUpload.
            """
            CREATE TABLE completed_uploads (
              upload_id TEXT PRIMARY KEY,
              bucket TEXT NOT NULL,
              key BLOB NOT NULL,
              etag TEXT NOT NULL,
              completed_ms INTEGER NOT NULL
            )""",
            "CREATE INDEX completed_uploads_by_age ON completed_uploads (completed_ms)"),
          List.of(
            // KMS keys (key-encryption keys) and their versions; the material is wrapped by the
            // root key and deleted (secure_delete) when the key is destroyed.
            """
            CREATE TABLE kms_keys (
              id TEXT PRIMARY KEY,
              alias TEXT UNIQUE,
              description TEXT,
              state TEXT NOT NULL,
              created_ms INTEGER NOT NULL,
              current_version INTEGER NOT NULL,
              deletion_ms INTEGER,
              destroyed_ms INTEGER,
              certificate TEXT
            )""",
            """
            CREATE TABLE kms_key_versions (
              key_id TEXT NOT NULL REFERENCES kms_keys(id),
              version INTEGER NOT NULL,
              root_key_id TEXT NOT NULL,
              material BLOB NOT NULL,
              created_ms INTEGER NOT NULL,
              PRIMARY KEY (key_id, version)
            ) WITHOUT ROWID""",
            // Which objects and uploads a key protects: usage counts, re-wrap and shredding.
            "CREATE INDEX objects_by_key_ref ON objects (key_ref)",
            "CREATE INDEX uploads_by_key_ref ON uploads (key_ref)"));

  private Schema() {}

  static void migrate(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY)");
      int current;
      try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
        rs.next();
        current = rs.getInt(1);
      }
      if (current > MIGRATIONS.size()) {
        throw new SQLException(
            "metadata schema version " + current + " is newer than this Coffre (" + MIGRATIONS.size() + ")");
      }
      for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
        c.setAutoCommit(false);
        try {
          for (String sql : MIGRATIONS.get(v - 1)) {
            s.execute(sql);
          }
          s.execute("INSERT INTO schema_version (version) VALUES (" + v + ")");
          c.commit();
        } catch (SQLException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      }
    }
  }
}
