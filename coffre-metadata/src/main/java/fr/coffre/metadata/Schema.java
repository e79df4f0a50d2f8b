package fr.coffre.metadata;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The relational schema, as an ordered list of migrations applied once each and recorded in {@code
 * schema_version}. New features append migrations; applied ones never change.
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
              "CREATE INDEX uploads_by_key_ref ON uploads (key_ref)"),
          List.of(
              // Tenants, their users, access keys (secrets sealed by the root key) and identity
              // policies. Buckets and KMS keys existing before belong to the default tenant.
              """
            CREATE TABLE tenants (
              name TEXT PRIMARY KEY,
              account_id TEXT NOT NULL UNIQUE,
              created_ms INTEGER NOT NULL,
              quota_bytes INTEGER,
              quota_objects INTEGER
            )""",
              "INSERT INTO tenants (name, account_id, created_ms) VALUES ('default', '000000000000', "
                  + "CAST(strftime('%s', 'now') AS INTEGER) * 1000)",
              "ALTER TABLE buckets ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default' REFERENCES tenants(name)",
              "ALTER TABLE buckets ADD COLUMN quota_bytes INTEGER",
              "ALTER TABLE buckets ADD COLUMN quota_objects INTEGER",
              "CREATE INDEX buckets_by_tenant ON buckets (tenant, name)",
              "ALTER TABLE kms_keys ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default' REFERENCES tenants(name)",
              """
            CREATE TABLE users (
              tenant TEXT NOT NULL REFERENCES tenants(name),
              name TEXT NOT NULL,
              created_ms INTEGER NOT NULL,
              enabled INTEGER NOT NULL,
              PRIMARY KEY (tenant, name)
            ) WITHOUT ROWID""",
              """
            CREATE TABLE user_policies (
              tenant TEXT NOT NULL,
              user TEXT NOT NULL,
              name TEXT NOT NULL,
              document TEXT NOT NULL,
              PRIMARY KEY (tenant, user, name),
              FOREIGN KEY (tenant, user) REFERENCES users(tenant, name) ON DELETE CASCADE
            ) WITHOUT ROWID""",
              """
            CREATE TABLE access_keys (
              access_key TEXT PRIMARY KEY,
              tenant TEXT NOT NULL,
              user TEXT NOT NULL,
              sealed_secret BLOB NOT NULL,
              enabled INTEGER NOT NULL,
              created_ms INTEGER NOT NULL,
              FOREIGN KEY (tenant, user) REFERENCES users(tenant, name) ON DELETE CASCADE
            )""",
              "CREATE INDEX access_keys_by_user ON access_keys (tenant, user)",
              // What each bucket holds, kept by triggers in the transaction that changes the
              // objects,
              // so quotas are checked against exact figures without scanning (REPLACE fires the
              // delete trigger because the store turns recursive_triggers on).
              """
            CREATE TABLE bucket_usage (
              bucket TEXT PRIMARY KEY,
              objects INTEGER NOT NULL,
              bytes INTEGER NOT NULL
            ) WITHOUT ROWID""",
              """
            INSERT INTO bucket_usage (bucket, objects, bytes)
              SELECT b.name, COUNT(o.key), COALESCE(SUM(o.size), 0)
              FROM buckets b LEFT JOIN objects o ON o.bucket = b.name GROUP BY b.name""",
              """
            CREATE TRIGGER bucket_usage_new AFTER INSERT ON buckets BEGIN
              INSERT INTO bucket_usage (bucket, objects, bytes) VALUES (NEW.name, 0, 0);
            END""",
              """
            CREATE TRIGGER bucket_usage_gone AFTER DELETE ON buckets BEGIN
              DELETE FROM bucket_usage WHERE bucket = OLD.name;
            END""",
              """
            CREATE TRIGGER object_added AFTER INSERT ON objects BEGIN
              UPDATE bucket_usage SET objects = objects + 1, bytes = bytes + NEW.size WHERE bucket = NEW.bucket;
            END""",
              """
            CREATE TRIGGER object_removed AFTER DELETE ON objects BEGIN
              UPDATE bucket_usage SET objects = objects - 1, bytes = bytes - OLD.size WHERE bucket = OLD.bucket;
            END""",
              """
            CREATE TRIGGER object_resized AFTER UPDATE OF size ON objects BEGIN
              UPDATE bucket_usage SET bytes = bytes - OLD.size + NEW.size WHERE bucket = NEW.bucket;
            END"""),
          // 7: the sensitivity class each bucket's objects are placed by; earlier buckets are
          // "internal".
          List.of("ALTER TABLE buckets ADD COLUMN class TEXT NOT NULL DEFAULT 'internal'"),
          // 8: share links (docs/console.md); only the SHA-256 of each link's token is kept.
          List.of(
              """
            CREATE TABLE share_links (
              id TEXT PRIMARY KEY,
              token_hash TEXT NOT NULL UNIQUE,
              tenant TEXT NOT NULL,
              bucket TEXT NOT NULL REFERENCES buckets(name) ON DELETE CASCADE,
              key TEXT NOT NULL,
              etag TEXT NOT NULL,
              created_by TEXT NOT NULL,
              creator TEXT NOT NULL,
              created_ms INTEGER NOT NULL,
              expires_ms INTEGER NOT NULL,
              password_hash TEXT,
              max_downloads INTEGER,
              downloads INTEGER NOT NULL,
              revoked_ms INTEGER
            )""",
              "CREATE INDEX share_links_by_tenant ON share_links (tenant, created_ms)"),
          // 9: versions and Object Lock (docs/on-disk-format.md). The current version of a key
          // stays in objects, so listings of current objects do not grow with old versions;
          // noncurrent versions and delete markers go to object_versions, newest with the highest
          // seq. Every version's bytes count in the bucket's usage.
          List.of(
              "ALTER TABLE buckets ADD COLUMN versioning TEXT NOT NULL DEFAULT 'UNVERSIONED'",
              "ALTER TABLE buckets ADD COLUMN object_lock INTEGER NOT NULL DEFAULT 0",
              "ALTER TABLE objects ADD COLUMN version_id TEXT NOT NULL DEFAULT 'null'",
              "ALTER TABLE objects ADD COLUMN lock_mode TEXT",
              "ALTER TABLE objects ADD COLUMN lock_until_ms INTEGER",
              "ALTER TABLE objects ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0",
              "ALTER TABLE objects ADD COLUMN seq INTEGER NOT NULL DEFAULT 0",
              """
            CREATE TABLE object_versions (
              bucket TEXT NOT NULL REFERENCES buckets(name),
              key BLOB NOT NULL,
              size INTEGER NOT NULL,
              etag TEXT NOT NULL,
              last_modified_ms INTEGER NOT NULL,
              key_ref TEXT NOT NULL,
              wrapped_key BLOB NOT NULL,
              blobs TEXT NOT NULL,
              attributes BLOB NOT NULL,
              version_id TEXT NOT NULL,
              lock_mode TEXT,
              lock_until_ms INTEGER,
              legal_hold INTEGER NOT NULL,
              seq INTEGER NOT NULL,
              delete_marker INTEGER NOT NULL,
              noncurrent_ms INTEGER NOT NULL,
              PRIMARY KEY (bucket, key, seq)
            ) WITHOUT ROWID""",
              "CREATE UNIQUE INDEX object_versions_by_id ON object_versions (bucket, key, version_id)",
              "CREATE INDEX object_versions_by_key_ref ON object_versions (key_ref)",
              """
            CREATE TRIGGER version_added AFTER INSERT ON object_versions BEGIN
              UPDATE bucket_usage SET objects = objects + 1 - NEW.delete_marker, bytes = bytes + NEW.size WHERE bucket = NEW.bucket;
            END""",
              """
            CREATE TRIGGER version_removed AFTER DELETE ON object_versions BEGIN
              UPDATE bucket_usage SET objects = objects - 1 + OLD.delete_marker, bytes = bytes - OLD.size WHERE bucket = OLD.bucket;
            END"""),
          // 10: the nodes of a cluster and the volumes each serves (docs/cluster.md). A volume
          // belongs to one node: its primary key says so.
          List.of(
              """
            CREATE TABLE cluster_nodes (
              name TEXT PRIMARY KEY,
              site TEXT NOT NULL,
              address TEXT NOT NULL,
              instance TEXT NOT NULL,
              started_ms INTEGER NOT NULL,
              heartbeat_ms INTEGER NOT NULL,
              state TEXT NOT NULL
            )""",
              """
            CREATE TABLE cluster_volumes (
              volume TEXT PRIMARY KEY,
              node TEXT NOT NULL,
              free_bytes INTEGER NOT NULL
            )""",
              // Periodic jobs one node runs at a time (scrub, sweeps, lifecycle).
              "CREATE TABLE cluster_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, until_ms INTEGER NOT NULL)",
              // Counters a change bumps, so that other nodes drop what they cached.
              "CREATE TABLE cluster_generations (name TEXT PRIMARY KEY, value INTEGER NOT NULL)"),
          // 11: the access control list of each version with content (docs/on-disk-format.md);
          // NULL is the default one (the bucket's owner has full control).
          List.of(
              "ALTER TABLE objects ADD COLUMN acl TEXT",
              "ALTER TABLE object_versions ADD COLUMN acl TEXT"),
          // 12: the operator plane's governance (docs/identities.md, "Operators and tenant
          // consent"): tenants' enrolments and support windows, named operators, four-eyes
          // proposals.
          List.of(
              """
            CREATE TABLE tenant_enrolments (
              tenant TEXT PRIMARY KEY REFERENCES tenants(name) ON DELETE CASCADE,
              token_hash TEXT NOT NULL,
              created_ms INTEGER NOT NULL,
              expires_ms INTEGER NOT NULL,
              redeemed_ms INTEGER,
              admin_user TEXT
            )""",
              """
            CREATE TABLE support_windows (
              id TEXT PRIMARY KEY,
              tenant TEXT NOT NULL REFERENCES tenants(name) ON DELETE CASCADE,
              scope TEXT NOT NULL,
              opened_by TEXT NOT NULL,
              opened_ms INTEGER NOT NULL,
              expires_ms INTEGER NOT NULL,
              revoked_ms INTEGER,
              revoked_by TEXT
            )""",
              "CREATE INDEX support_windows_by_tenant ON support_windows (tenant, opened_ms)",
              """
            CREATE TABLE operators (
              name TEXT PRIMARY KEY,
              roles TEXT NOT NULL,
              password_hash TEXT NOT NULL,
              totp_secret BLOB NOT NULL,
              totp_step INTEGER NOT NULL,
              failures INTEGER NOT NULL,
              locked_until_ms INTEGER,
              created_ms INTEGER NOT NULL,
              created_by TEXT NOT NULL
            )""",
              """
            CREATE TABLE operator_proposals (
              id TEXT PRIMARY KEY,
              method TEXT NOT NULL,
              path TEXT NOT NULL,
              body TEXT NOT NULL,
              proposed_by TEXT NOT NULL,
              proposed_ms INTEGER NOT NULL,
              expires_ms INTEGER NOT NULL,
              approved_by TEXT,
              approved_ms INTEGER,
              result INTEGER NOT NULL
            )"""),
          // 13: signed-in web sessions and failed-authentication counts, shared by the nodes of a
          // cluster (docs/cluster.md): a session made on one node works on another, failures spread
          // across nodes add up. A session is found by a hash of its id, never the id itself.
          List.of(
              """
            CREATE TABLE web_sessions (
              realm TEXT NOT NULL,
              id_hash TEXT NOT NULL,
              subject TEXT NOT NULL,
              grp TEXT NOT NULL,
              csrf TEXT NOT NULL,
              created_ms INTEGER NOT NULL,
              seen_ms INTEGER NOT NULL,
              expires_ms INTEGER NOT NULL,
              seq INTEGER NOT NULL,
              PRIMARY KEY (realm, id_hash)
            )""",
              "CREATE INDEX web_sessions_by_subject ON web_sessions (realm, subject, seen_ms, seq)",
              "CREATE INDEX web_sessions_by_group ON web_sessions (realm, grp, seen_ms, seq)",
              "CREATE INDEX web_sessions_by_expiry ON web_sessions (realm, expires_ms)",
              """
            CREATE TABLE auth_failures (
              realm TEXT NOT NULL,
              access_key TEXT NOT NULL,
              source TEXT NOT NULL,
              recent TEXT NOT NULL,
              total INTEGER NOT NULL,
              last_ms INTEGER NOT NULL,
              last_source TEXT,
              locked_until_ms INTEGER,
              lockouts INTEGER NOT NULL,
              PRIMARY KEY (realm, access_key, source)
            )""",
              "CREATE INDEX auth_failures_locked ON auth_failures (realm, locked_until_ms)"),
          // 14: a tenant's own settings (its account-level Block Public Access).
          List.of(
              """
            CREATE TABLE tenant_settings (
              tenant TEXT NOT NULL REFERENCES tenants(name) ON DELETE CASCADE,
              name TEXT NOT NULL,
              value TEXT NOT NULL,
              PRIMARY KEY (tenant, name)
            )"""),
          // 15: roles, groups, managed policies and STS temporary credentials (docs/identities.md).
          List.of(
              """
            CREATE TABLE roles (
              tenant TEXT NOT NULL REFERENCES tenants(name) ON DELETE CASCADE,
              name TEXT NOT NULL,
              trust_policy TEXT NOT NULL,
              max_session_s INTEGER NOT NULL,
              created_ms INTEGER NOT NULL,
              PRIMARY KEY (tenant, name)
            )""",
              """
            CREATE TABLE role_policies (
              tenant TEXT NOT NULL,
              role TEXT NOT NULL,
              name TEXT NOT NULL,
              document TEXT NOT NULL,
              PRIMARY KEY (tenant, role, name),
              FOREIGN KEY (tenant, role) REFERENCES roles(tenant, name) ON DELETE CASCADE
            )""",
              """
            CREATE TABLE iam_groups (
              tenant TEXT NOT NULL REFERENCES tenants(name) ON DELETE CASCADE,
              name TEXT NOT NULL,
              created_ms INTEGER NOT NULL,
              PRIMARY KEY (tenant, name)
            )""",
              """
            CREATE TABLE group_members (
              tenant TEXT NOT NULL,
              grp TEXT NOT NULL,
              member TEXT NOT NULL,
              PRIMARY KEY (tenant, grp, member),
              FOREIGN KEY (tenant, grp) REFERENCES iam_groups(tenant, name) ON DELETE CASCADE,
              FOREIGN KEY (tenant, member) REFERENCES users(tenant, name) ON DELETE CASCADE
            )""",
              "CREATE INDEX group_members_by_member ON group_members (tenant, member)",
              """
            CREATE TABLE group_policies (
              tenant TEXT NOT NULL,
              grp TEXT NOT NULL,
              name TEXT NOT NULL,
              document TEXT NOT NULL,
              PRIMARY KEY (tenant, grp, name),
              FOREIGN KEY (tenant, grp) REFERENCES iam_groups(tenant, name) ON DELETE CASCADE
            )""",
              """
            CREATE TABLE managed_policies (
              tenant TEXT NOT NULL REFERENCES tenants(name) ON DELETE CASCADE,
              name TEXT NOT NULL,
              document TEXT NOT NULL,
              created_ms INTEGER NOT NULL,
              PRIMARY KEY (tenant, name)
            )""",
              """
            CREATE TABLE policy_attachments (
              tenant TEXT NOT NULL,
              holder_kind TEXT NOT NULL,
              holder TEXT NOT NULL,
              policy TEXT NOT NULL,
              PRIMARY KEY (tenant, holder_kind, holder, policy),
              FOREIGN KEY (tenant, policy) REFERENCES managed_policies(tenant, name)
                ON DELETE CASCADE
            )""",
              """
            CREATE TABLE session_credentials (
              access_key TEXT PRIMARY KEY,
              tenant TEXT NOT NULL,
              role TEXT NOT NULL,
              session_name TEXT NOT NULL,
              source TEXT NOT NULL,
              sealed_secret BLOB NOT NULL,
              token_hash TEXT NOT NULL,
              created_ms INTEGER NOT NULL,
              expires_ms INTEGER NOT NULL,
              FOREIGN KEY (tenant, role) REFERENCES roles(tenant, name) ON DELETE CASCADE
            )""",
              "CREATE INDEX session_credentials_by_expiry ON session_credentials (expires_ms)"),
          // 16: the key that seals ETags and checksums in the rows (ValueSealer), wrapped by the
          // root key; one row. Rows written before stay readable (no "s1:" marker) until the
          // background pass seals them (docs/security.md).
          List.of(
              """
            CREATE TABLE sealing_keys (
              id TEXT PRIMARY KEY,
              root_key_id TEXT NOT NULL,
              material BLOB NOT NULL,
              created_ms INTEGER NOT NULL
            )""",
              // The list of versions a destroyed key's erasure certificate covers (its digest is
              // in the certificate, format 2).
              "ALTER TABLE kms_keys ADD COLUMN covered BLOB"),
          // 17: a count of the changes made to buckets and their settings, kept by triggers in
          // the transaction that makes them. The server keeps buckets read between two changes
          // (ReadCache) and reads this after each commit to know when to stop.
          Stream.concat(
                  Stream.of(
                      "CREATE TABLE change_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
                      "INSERT INTO change_counters (name, value) VALUES ('buckets', 0)"),
                  Stream.of("buckets", "bucket_settings")
                      .flatMap(t -> countedChanges(t, "buckets")))
              .toList());

  /** Triggers that count every insert, update and delete on {@code table} in {@code counter}. */
  private static Stream<String> countedChanges(String table, String counter) {
    return Stream.of("insert", "update", "delete")
        .map(
            event ->
                "CREATE TRIGGER "
                    + table
                    + "_"
                    + event
                    + "_counted AFTER "
                    + event.toUpperCase(Locale.ROOT)
                    + " ON "
                    + table
                    + " BEGIN UPDATE change_counters SET value = value + 1 WHERE name = '"
                    + counter
                    + "'; END");
  }

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
            "metadata schema version "
                + current
                + " is newer than this Coffre ("
                + MIGRATIONS.size()
                + ")");
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
