package fr.coffre.metadata;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The relational schema on PostgreSQL: the tables, indexes and usage triggers of {@link Schema}
 * (SQLite), version for version, in PostgreSQL's types.
 *
 * <p>No PostgreSQL database predates version 8, so the first migration is a baseline that creates
 * version 8 at once; later migrations are appended to {@link #LATER} together with SQLite's, and a
 * test keeps both at the same version. What the translation keeps:
 *
 * <ul>
 *   <li><b>Byte order.</b> Object keys are {@code BYTEA} (their UTF-8 bytes), which PostgreSQL
 *       compares as unsigned bytes, as SQLite compares a {@code BLOB}: the primary key's order is
 *       S3's listing order, whatever the database's collation. Every text column is {@code COLLATE
 *       "C"} (code point order, the same as UTF-8 byte order), so names sort as in SQLite and the
 *       range scans on {@code key_ref} prefixes are correct in a database created with, say, {@code
 *       en_US} as its collation, which would otherwise ignore case and punctuation.
 *   <li><b>Usage kept by triggers.</b> The five SQLite triggers become two PL/pgSQL functions,
 *       fired in the transaction that changes the rows; an update that does not change a size
 *       leaves {@code bucket_usage} (and its row lock) alone.
 *   <li><b>An identity.</b> One table more than SQLite's, {@code database_id}: a random id made
 *       with the schema, which tells this database from another that a node might be pointed at.
 *   <li><b>One migrator at a time.</b> Several nodes may start together: the migration runs in one
 *       transaction under an advisory lock, so the second node waits and then finds the schema
 *       current. A database newer than this code is refused.
 * </ul>
 */
final class PostgresSchema {
  /** The schema version the baseline creates: SQLite's version with the same tables. */
  static final int BASELINE_VERSION = 8;

  /** Key of the advisory lock migrations hold ("Coff"). */
  private static final long MIGRATION_LOCK = 0x436f6666L;

  static final List<String> BASELINE =
      List.of(
          """
          CREATE TABLE tenants (
            name TEXT COLLATE "C" PRIMARY KEY,
            account_id TEXT COLLATE "C" NOT NULL UNIQUE,
            created_ms BIGINT NOT NULL,
            quota_bytes BIGINT,
            quota_objects BIGINT
          )""",
          "INSERT INTO tenants (name, account_id, created_ms)"
              + " VALUES ('default', '000000000000', (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT)",
          """
          CREATE TABLE buckets (
            name TEXT COLLATE "C" PRIMARY KEY,
            created_ms BIGINT NOT NULL,
            region TEXT COLLATE "C" NOT NULL,
            tenant TEXT COLLATE "C" NOT NULL DEFAULT 'default' REFERENCES tenants(name),
            quota_bytes BIGINT,
            quota_objects BIGINT,
            class TEXT COLLATE "C" NOT NULL DEFAULT 'internal'
          )""",
          "CREATE INDEX buckets_by_tenant ON buckets (tenant, name)",
          """
          CREATE TABLE bucket_settings (
            bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets(name),
            name TEXT COLLATE "C" NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (bucket, name)
          )""",
          """
          CREATE TABLE objects (
            bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets(name),
            key BYTEA NOT NULL,
            size BIGINT NOT NULL,
            etag TEXT COLLATE "C" NOT NULL,
            last_modified_ms BIGINT NOT NULL,
            key_ref TEXT COLLATE "C" NOT NULL,
            wrapped_key BYTEA NOT NULL,
            blobs TEXT COLLATE "C" NOT NULL,
            attributes BYTEA NOT NULL,
            PRIMARY KEY (bucket, key)
          )""",
          "CREATE INDEX objects_by_key_ref ON objects (key_ref)",
          """
          CREATE TABLE uploads (
            upload_id TEXT COLLATE "C" PRIMARY KEY,
            bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets(name),
            key BYTEA NOT NULL,
            initiated_ms BIGINT NOT NULL,
            key_ref TEXT COLLATE "C" NOT NULL,
            wrapped_key BYTEA NOT NULL,
            attributes BYTEA NOT NULL
          )""",
          "CREATE INDEX uploads_by_key ON uploads (bucket, key, initiated_ms, upload_id)",
          "CREATE INDEX uploads_by_age ON uploads (initiated_ms)",
          "CREATE INDEX uploads_by_key_ref ON uploads (key_ref)",
          """
          CREATE TABLE parts (
            upload_id TEXT COLLATE "C" NOT NULL REFERENCES uploads(upload_id) ON DELETE CASCADE,
            part_number INTEGER NOT NULL,
            blob TEXT COLLATE "C" NOT NULL,
            size BIGINT NOT NULL,
            etag TEXT COLLATE "C" NOT NULL,
            last_modified_ms BIGINT NOT NULL,
            checksum TEXT COLLATE "C",
            PRIMARY KEY (upload_id, part_number)
          )""",
          """
          CREATE TABLE completed_uploads (
            upload_id TEXT COLLATE "C" PRIMARY KEY,
            bucket TEXT COLLATE "C" NOT NULL,
            key BYTEA NOT NULL,
            etag TEXT COLLATE "C" NOT NULL,
            completed_ms BIGINT NOT NULL
          )""",
          "CREATE INDEX completed_uploads_by_age ON completed_uploads (completed_ms)",
          """
          CREATE TABLE kms_keys (
            id TEXT COLLATE "C" PRIMARY KEY,
            alias TEXT COLLATE "C" UNIQUE,
            description TEXT,
            state TEXT COLLATE "C" NOT NULL,
            created_ms BIGINT NOT NULL,
            current_version INTEGER NOT NULL,
            deletion_ms BIGINT,
            destroyed_ms BIGINT,
            certificate TEXT,
            tenant TEXT COLLATE "C" NOT NULL DEFAULT 'default' REFERENCES tenants(name)
          )""",
          """
          CREATE TABLE kms_key_versions (
            key_id TEXT COLLATE "C" NOT NULL REFERENCES kms_keys(id),
            version INTEGER NOT NULL,
            root_key_id TEXT COLLATE "C" NOT NULL,
            material BYTEA NOT NULL,
            created_ms BIGINT NOT NULL,
            PRIMARY KEY (key_id, version)
          )""",
          """
          CREATE TABLE users (
            tenant TEXT COLLATE "C" NOT NULL REFERENCES tenants(name),
            name TEXT COLLATE "C" NOT NULL,
            created_ms BIGINT NOT NULL,
            enabled BOOLEAN NOT NULL,
            PRIMARY KEY (tenant, name)
          )""",
          """
          CREATE TABLE user_policies (
            tenant TEXT COLLATE "C" NOT NULL,
            "user" TEXT COLLATE "C" NOT NULL,
            name TEXT COLLATE "C" NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (tenant, "user", name),
            FOREIGN KEY (tenant, "user") REFERENCES users(tenant, name) ON DELETE CASCADE
          )""",
          """
          CREATE TABLE access_keys (
            access_key TEXT COLLATE "C" PRIMARY KEY,
            tenant TEXT COLLATE "C" NOT NULL,
            "user" TEXT COLLATE "C" NOT NULL,
            sealed_secret BYTEA NOT NULL,
            enabled BOOLEAN NOT NULL,
            created_ms BIGINT NOT NULL,
            FOREIGN KEY (tenant, "user") REFERENCES users(tenant, name) ON DELETE CASCADE
          )""",
          "CREATE INDEX access_keys_by_user ON access_keys (tenant, \"user\")",
          """
          CREATE TABLE bucket_usage (
            bucket TEXT COLLATE "C" PRIMARY KEY,
            objects BIGINT NOT NULL,
            bytes BIGINT NOT NULL
          )""",
          """
          CREATE FUNCTION bucket_usage_of_buckets() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'INSERT' THEN
              INSERT INTO bucket_usage (bucket, objects, bytes) VALUES (NEW.name, 0, 0);
            ELSE
              DELETE FROM bucket_usage WHERE bucket = OLD.name;
            END IF;
            RETURN NULL;
          END $$""",
          """
          CREATE TRIGGER bucket_usage_of_buckets AFTER INSERT OR DELETE ON buckets
            FOR EACH ROW EXECUTE FUNCTION bucket_usage_of_buckets()""",
          """
          CREATE FUNCTION bucket_usage_of_objects() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'INSERT' THEN
              UPDATE bucket_usage SET objects = objects + 1, bytes = bytes + NEW.size WHERE bucket = NEW.bucket;
            ELSIF TG_OP = 'DELETE' THEN
              UPDATE bucket_usage SET objects = objects - 1, bytes = bytes - OLD.size WHERE bucket = OLD.bucket;
            ELSIF NEW.size <> OLD.size THEN
              UPDATE bucket_usage SET bytes = bytes - OLD.size + NEW.size WHERE bucket = NEW.bucket;
            END IF;
            RETURN NULL;
          END $$""",
          """
          CREATE TRIGGER bucket_usage_of_objects AFTER INSERT OR DELETE OR UPDATE OF size ON objects
            FOR EACH ROW EXECUTE FUNCTION bucket_usage_of_objects()""",
          """
          CREATE TABLE share_links (
            id TEXT COLLATE "C" PRIMARY KEY,
            token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
            tenant TEXT COLLATE "C" NOT NULL,
            bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets(name) ON DELETE CASCADE,
            key TEXT COLLATE "C" NOT NULL,
            etag TEXT COLLATE "C" NOT NULL,
            created_by TEXT COLLATE "C" NOT NULL,
            creator TEXT COLLATE "C" NOT NULL,
            created_ms BIGINT NOT NULL,
            expires_ms BIGINT NOT NULL,
            password_hash TEXT,
            max_downloads INTEGER,
            downloads BIGINT NOT NULL,
            revoked_ms BIGINT
          )""",
          "CREATE INDEX share_links_by_tenant ON share_links (tenant, created_ms)",
          // Which database this is, so a data directory can tell it from another (Coffre's
          // metadata.pin): SQLite needs none, its file lives in the data directory.
          "CREATE TABLE database_id (id TEXT COLLATE \"C\" NOT NULL)",
          "INSERT INTO database_id (id) VALUES (md5(random()::text || clock_timestamp()::text))");

  /** Migrations after the baseline: element i is version {@code BASELINE_VERSION + 1 + i}. */
  static final List<List<String>> LATER =
      List.of(
          // 9: versions and Object Lock, as in SQLite.
          List.of(
              "ALTER TABLE buckets ADD COLUMN versioning TEXT COLLATE \"C\" NOT NULL DEFAULT 'UNVERSIONED'",
              "ALTER TABLE buckets ADD COLUMN object_lock INTEGER NOT NULL DEFAULT 0",
              "ALTER TABLE objects ADD COLUMN version_id TEXT COLLATE \"C\" NOT NULL DEFAULT 'null'",
              "ALTER TABLE objects ADD COLUMN lock_mode TEXT COLLATE \"C\"",
              "ALTER TABLE objects ADD COLUMN lock_until_ms BIGINT",
              "ALTER TABLE objects ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0",
              "ALTER TABLE objects ADD COLUMN seq BIGINT NOT NULL DEFAULT 0",
              """
              CREATE TABLE object_versions (
                bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets(name),
                key BYTEA NOT NULL,
                size BIGINT NOT NULL,
                etag TEXT COLLATE "C" NOT NULL,
                last_modified_ms BIGINT NOT NULL,
                key_ref TEXT COLLATE "C" NOT NULL,
                wrapped_key BYTEA NOT NULL,
                blobs TEXT COLLATE "C" NOT NULL,
                attributes BYTEA NOT NULL,
                version_id TEXT COLLATE "C" NOT NULL,
                lock_mode TEXT COLLATE "C",
                lock_until_ms BIGINT,
                legal_hold INTEGER NOT NULL,
                seq BIGINT NOT NULL,
                delete_marker INTEGER NOT NULL,
                noncurrent_ms BIGINT NOT NULL,
                PRIMARY KEY (bucket, key, seq)
              )""",
              "CREATE UNIQUE INDEX object_versions_by_id ON object_versions (bucket, key, version_id)",
              "CREATE INDEX object_versions_by_key_ref ON object_versions (key_ref)",
              """
              CREATE FUNCTION bucket_usage_of_versions() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                IF TG_OP = 'INSERT' THEN
                  UPDATE bucket_usage SET objects = objects + 1 - NEW.delete_marker, bytes = bytes + NEW.size
                    WHERE bucket = NEW.bucket;
                ELSE
                  UPDATE bucket_usage SET objects = objects - 1 + OLD.delete_marker, bytes = bytes - OLD.size
                    WHERE bucket = OLD.bucket;
                END IF;
                RETURN NULL;
              END $$""",
              """
              CREATE TRIGGER bucket_usage_of_versions AFTER INSERT OR DELETE ON object_versions
                FOR EACH ROW EXECUTE FUNCTION bucket_usage_of_versions()"""),
          // 10: cluster nodes and their volumes, as in SQLite.
          List.of(
              """
              CREATE TABLE cluster_nodes (
                name TEXT COLLATE "C" PRIMARY KEY,
                site TEXT COLLATE "C" NOT NULL,
                address TEXT COLLATE "C" NOT NULL,
                instance TEXT COLLATE "C" NOT NULL,
                started_ms BIGINT NOT NULL,
                heartbeat_ms BIGINT NOT NULL,
                state TEXT COLLATE "C" NOT NULL
              )""",
              """
              CREATE TABLE cluster_volumes (
                volume TEXT COLLATE "C" PRIMARY KEY,
                node TEXT COLLATE "C" NOT NULL,
                free_bytes BIGINT NOT NULL
              )""",
              "CREATE TABLE cluster_leases (name TEXT COLLATE \"C\" PRIMARY KEY, holder TEXT COLLATE \"C\" NOT NULL, until_ms BIGINT NOT NULL)",
              "CREATE TABLE cluster_generations (name TEXT COLLATE \"C\" PRIMARY KEY, value BIGINT NOT NULL)"),
          // 11: each version's access control list, as in SQLite.
          List.of(
              "ALTER TABLE objects ADD COLUMN acl TEXT COLLATE \"C\"",
              "ALTER TABLE object_versions ADD COLUMN acl TEXT COLLATE \"C\""),
          // 12: the operator plane's governance, as in SQLite.
          List.of(
              """
              CREATE TABLE tenant_enrolments (
                tenant TEXT COLLATE "C" PRIMARY KEY REFERENCES tenants(name) ON DELETE CASCADE,
                token_hash TEXT COLLATE "C" NOT NULL,
                created_ms BIGINT NOT NULL,
                expires_ms BIGINT NOT NULL,
                redeemed_ms BIGINT,
                admin_user TEXT COLLATE "C"
              )""",
              """
              CREATE TABLE support_windows (
                id TEXT COLLATE "C" PRIMARY KEY,
                tenant TEXT COLLATE "C" NOT NULL REFERENCES tenants(name) ON DELETE CASCADE,
                scope TEXT COLLATE "C" NOT NULL,
                opened_by TEXT COLLATE "C" NOT NULL,
                opened_ms BIGINT NOT NULL,
                expires_ms BIGINT NOT NULL,
                revoked_ms BIGINT,
                revoked_by TEXT COLLATE "C"
              )""",
              "CREATE INDEX support_windows_by_tenant ON support_windows (tenant, opened_ms)",
              """
              CREATE TABLE operators (
                name TEXT COLLATE "C" PRIMARY KEY,
                roles TEXT COLLATE "C" NOT NULL,
                password_hash TEXT COLLATE "C" NOT NULL,
                totp_secret BYTEA NOT NULL,
                totp_step BIGINT NOT NULL,
                failures INTEGER NOT NULL,
                locked_until_ms BIGINT,
                created_ms BIGINT NOT NULL,
                created_by TEXT COLLATE "C" NOT NULL
              )""",
              """
              CREATE TABLE operator_proposals (
                id TEXT COLLATE "C" PRIMARY KEY,
                method TEXT COLLATE "C" NOT NULL,
                path TEXT COLLATE "C" NOT NULL,
                body TEXT NOT NULL,
                proposed_by TEXT COLLATE "C" NOT NULL,
                proposed_ms BIGINT NOT NULL,
                expires_ms BIGINT NOT NULL,
                approved_by TEXT COLLATE "C",
                approved_ms BIGINT,
                result INTEGER NOT NULL
              )"""),
          // 13: shared web sessions and failed-authentication counts, as in SQLite.
          List.of(
              """
              CREATE TABLE web_sessions (
                realm TEXT COLLATE "C" NOT NULL,
                id_hash TEXT COLLATE "C" NOT NULL,
                subject TEXT COLLATE "C" NOT NULL,
                grp TEXT COLLATE "C" NOT NULL,
                csrf TEXT COLLATE "C" NOT NULL,
                created_ms BIGINT NOT NULL,
                seen_ms BIGINT NOT NULL,
                expires_ms BIGINT NOT NULL,
                seq BIGINT NOT NULL,
                PRIMARY KEY (realm, id_hash)
              )""",
              "CREATE INDEX web_sessions_by_subject ON web_sessions (realm, subject, seen_ms, seq)",
              "CREATE INDEX web_sessions_by_group ON web_sessions (realm, grp, seen_ms, seq)",
              "CREATE INDEX web_sessions_by_expiry ON web_sessions (realm, expires_ms)",
              """
              CREATE TABLE auth_failures (
                realm TEXT COLLATE "C" NOT NULL,
                access_key TEXT COLLATE "C" NOT NULL,
                source TEXT COLLATE "C" NOT NULL,
                recent TEXT COLLATE "C" NOT NULL,
                total BIGINT NOT NULL,
                last_ms BIGINT NOT NULL,
                last_source TEXT COLLATE "C",
                locked_until_ms BIGINT,
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
              tenant TEXT COLLATE "C" NOT NULL REFERENCES tenants(name) ON DELETE CASCADE,
              name TEXT COLLATE "C" NOT NULL,
              trust_policy TEXT NOT NULL,
              max_session_s INTEGER NOT NULL,
              created_ms BIGINT NOT NULL,
              PRIMARY KEY (tenant, name)
            )""",
              """
            CREATE TABLE role_policies (
              tenant TEXT COLLATE "C" NOT NULL,
              role TEXT COLLATE "C" NOT NULL,
              name TEXT COLLATE "C" NOT NULL,
              document TEXT NOT NULL,
              PRIMARY KEY (tenant, role, name),
              FOREIGN KEY (tenant, role) REFERENCES roles(tenant, name) ON DELETE CASCADE
            )""",
              """
            CREATE TABLE iam_groups (
              tenant TEXT COLLATE "C" NOT NULL REFERENCES tenants(name) ON DELETE CASCADE,
              name TEXT COLLATE "C" NOT NULL,
              created_ms BIGINT NOT NULL,
              PRIMARY KEY (tenant, name)
            )""",
              """
            CREATE TABLE group_members (
              tenant TEXT COLLATE "C" NOT NULL,
              grp TEXT COLLATE "C" NOT NULL,
              member TEXT COLLATE "C" NOT NULL,
              PRIMARY KEY (tenant, grp, member),
              FOREIGN KEY (tenant, grp) REFERENCES iam_groups(tenant, name) ON DELETE CASCADE,
              FOREIGN KEY (tenant, member) REFERENCES users(tenant, name) ON DELETE CASCADE
            )""",
              "CREATE INDEX group_members_by_member ON group_members (tenant, member)",
              """
            CREATE TABLE group_policies (
              tenant TEXT COLLATE "C" NOT NULL,
              grp TEXT COLLATE "C" NOT NULL,
              name TEXT COLLATE "C" NOT NULL,
              document TEXT NOT NULL,
              PRIMARY KEY (tenant, grp, name),
              FOREIGN KEY (tenant, grp) REFERENCES iam_groups(tenant, name) ON DELETE CASCADE
            )""",
              """
            CREATE TABLE managed_policies (
              tenant TEXT COLLATE "C" NOT NULL REFERENCES tenants(name) ON DELETE CASCADE,
              name TEXT COLLATE "C" NOT NULL,
              document TEXT NOT NULL,
              created_ms BIGINT NOT NULL,
              PRIMARY KEY (tenant, name)
            )""",
              """
            CREATE TABLE policy_attachments (
              tenant TEXT COLLATE "C" NOT NULL,
              holder_kind TEXT COLLATE "C" NOT NULL,
              holder TEXT COLLATE "C" NOT NULL,
              policy TEXT COLLATE "C" NOT NULL,
              PRIMARY KEY (tenant, holder_kind, holder, policy),
              FOREIGN KEY (tenant, policy) REFERENCES managed_policies(tenant, name)
                ON DELETE CASCADE
            )""",
              """
            CREATE TABLE session_credentials (
              access_key TEXT COLLATE "C" PRIMARY KEY,
              tenant TEXT COLLATE "C" NOT NULL,
              role TEXT COLLATE "C" NOT NULL,
              session_name TEXT NOT NULL,
              source TEXT NOT NULL,
              sealed_secret BYTEA NOT NULL,
              token_hash TEXT NOT NULL,
              created_ms BIGINT NOT NULL,
              expires_ms BIGINT NOT NULL,
              FOREIGN KEY (tenant, role) REFERENCES roles(tenant, name) ON DELETE CASCADE
            )""",
              "CREATE INDEX session_credentials_by_expiry ON session_credentials (expires_ms)"),
          // 16: the key that seals ETags and checksums in the rows, as in SQLite.
          List.of(
              """
              CREATE TABLE sealing_keys (
                id TEXT COLLATE "C" PRIMARY KEY,
                root_key_id TEXT COLLATE "C" NOT NULL,
                material BYTEA NOT NULL,
                created_ms BIGINT NOT NULL
              )""",
              "ALTER TABLE kms_keys ADD COLUMN covered BYTEA"),
          // 17: nothing. SQLite's change counter serves its read cache; PostgreSQL is shared with
          // other nodes, whose changes a counter read here would not announce, so nothing is
          // kept between reads there.
          List.of());

  /** The version this code creates and reads. */
  static final int VERSION = BASELINE_VERSION + LATER.size();

  private PostgresSchema() {}

  /** Brings the database to {@link #VERSION} in one transaction; refuses a newer one. */
  static void migrate(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY)");
      int current;
      try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
        rs.next();
        current = rs.getInt(1);
      }
      if (current > VERSION) {
        throw new SQLException(
            "metadata schema version " + current + " is newer than this Coffre (" + VERSION + ")");
      }
      if (current == 0) {
        for (String sql : BASELINE) {
          s.execute(sql);
        }
        s.execute("INSERT INTO schema_version (version) VALUES (" + BASELINE_VERSION + ")");
        current = BASELINE_VERSION;
      } else if (current < BASELINE_VERSION) {
        throw new SQLException("metadata schema version " + current + " was not made by Coffre");
      }
      for (int v = current + 1; v <= VERSION; v++) {
        for (String sql : LATER.get(v - BASELINE_VERSION - 1)) {
          s.execute(sql);
        }
        s.execute("INSERT INTO schema_version (version) VALUES (" + v + ")");
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }
}
