package fr.coffre.metadata;

import fr.coffre.core.AccessKeyRecord;
import fr.coffre.core.BucketName;
import fr.coffre.core.IdentityException;
import fr.coffre.core.IdentityException.Reason;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.Quota;
import fr.coffre.core.QuotaExceededException;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.Usage;
import fr.coffre.core.UserRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * SQL for tenants, users, access keys, identity policies, quotas and usage, run in the caller's
 * {@link Session}. The column {@code user} is always written {@code "user"}: PostgreSQL reserves
 * the bare word.
 */
final class IdentityRows {
  private final Connection c;
  private final Dialect dialect;

  IdentityRows(Connection c, Dialect dialect) {
    this.c = c;
    this.dialect = dialect;
  }

  static void setLong(PreparedStatement ps, int i, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, value);
    }
  }

  static Long getLong(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }

  private int update(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof Long l) {
          ps.setLong(i + 1, l);
        } else if (args[i] == null) {
          ps.setNull(i + 1, Types.BIGINT);
        } else if (args[i] instanceof byte[] b) {
          ps.setBytes(i + 1, b);
        } else if (args[i] instanceof Boolean b) {
          ps.setBoolean(i + 1, b);
        } else {
          ps.setString(i + 1, args[i].toString());
        }
      }
      return ps.executeUpdate();
    }
  }

  private boolean exists(String sql, String... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  // Tenants

  void insertTenant(TenantRecord t) throws SQLException {
    // No conflict target: a taken name and a taken account id are both refused.
    if (update(
            "INSERT INTO tenants (name, account_id, created_ms, quota_bytes, quota_objects) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING",
            t.name(),
            t.accountId(),
            t.created().toEpochMilli(),
            t.quota().maxBytes(),
            t.quota().maxObjects())
        == 0) {
      throw new IdentityException(
          Reason.TENANT_EXISTS, "tenant " + t.name() + " (or its account id) already exists");
    }
  }

  Optional<TenantRecord> tenant(String name) throws SQLException {
    List<TenantRecord> found =
        tenants(
            "SELECT name, account_id, created_ms, quota_bytes, quota_objects FROM tenants WHERE name = ?",
            name);
    return found.stream().findFirst();
  }

  List<TenantRecord> tenants(String sql, String... args) throws SQLException {
    List<TenantRecord> all = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          all.add(
              new TenantRecord(
                  rs.getString(1),
                  rs.getString(2),
                  Instant.ofEpochMilli(rs.getLong(3)),
                  new Quota(getLong(rs, 4), getLong(rs, 5))));
        }
      }
    }
    return all;
  }

  List<TenantRecord> tenants() throws SQLException {
    return tenants(
        "SELECT name, account_id, created_ms, quota_bytes, quota_objects FROM tenants ORDER BY name");
  }

  /**
   * Throws NO_SUCH_TENANT unless it exists; its row locked as {@code lock} says until the
   * transaction ends.
   */
  private void requireTenant(String tenant, String lock) throws SQLException {
    if (!exists("SELECT 1 FROM tenants WHERE name = ?" + dialect.lock(lock), tenant)) {
      throw new IdentityException(Reason.NO_SUCH_TENANT, "no tenant named " + tenant);
    }
  }

  void setTenantQuota(String tenant, Quota q) throws SQLException {
    if (update(
            "UPDATE tenants SET quota_bytes = ?, quota_objects = ? WHERE name = ?",
            q.maxBytes(),
            q.maxObjects(),
            tenant)
        == 0) {
      throw new IdentityException(Reason.NO_SUCH_TENANT, "no tenant named " + tenant);
    }
  }

  Optional<String> tenantSetting(String tenant, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT value FROM tenant_settings WHERE tenant = ? AND name = ?")) {
      ps.setString(1, tenant);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** Sets a tenant's setting, or removes it when {@code value} is null; NO_SUCH_TENANT. */
  void putTenantSetting(String tenant, String name, @Nullable String value) throws SQLException {
    requireTenant(tenant, Dialect.FOR_UPDATE);
    if (value == null) {
      update("DELETE FROM tenant_settings WHERE tenant = ? AND name = ?", tenant, name);
    } else {
      update(
          "INSERT INTO tenant_settings (tenant, name, value) VALUES (?, ?, ?)"
              + " ON CONFLICT (tenant, name) DO UPDATE SET value = excluded.value",
          tenant,
          name,
          value);
    }
  }

  void deleteTenant(String tenant) throws SQLException {
    requireTenant(tenant, Dialect.FOR_UPDATE);
    if (TenantRecord.DEFAULT.equals(tenant)) {
      throw new IdentityException(
          Reason.TENANT_NOT_EMPTY, "the default tenant holds the root credentials and stays");
    }
    String[][] owned = {
      {"SELECT 1 FROM buckets WHERE tenant = ?", "buckets"},
      {"SELECT 1 FROM users WHERE tenant = ?", "users"},
      {
        "SELECT 1 FROM kms_keys WHERE tenant = ? AND state <> 'DESTROYED'",
        "KMS keys that are not destroyed"
      },
    };
    for (String[] o : owned) {
      if (exists(o[0], tenant)) {
        throw new IdentityException(
            Reason.TENANT_NOT_EMPTY, "tenant " + tenant + " still has " + o[1]);
      }
    }
    update("DELETE FROM tenants WHERE name = ?", tenant);
  }

  // Quotas and usage

  void setBucketQuota(BucketName bucket, Quota q) throws SQLException {
    if (update(
            "UPDATE buckets SET quota_bytes = ?, quota_objects = ? WHERE name = ?",
            q.maxBytes(),
            q.maxObjects(),
            bucket.value())
        == 0) {
      throw new NoSuchBucketException(bucket.value());
    }
  }

  Usage bucketUsage(BucketName bucket) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT objects, bytes FROM bucket_usage WHERE bucket = ?")) {
      ps.setString(1, bucket.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new NoSuchBucketException(bucket.value());
        }
        return new Usage(rs.getLong(1), rs.getLong(2));
      }
    }
  }

  Usage tenantUsage(String tenant) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COALESCE(SUM(u.objects), 0), COALESCE(SUM(u.bytes), 0) FROM buckets b JOIN bucket_usage u ON u.bucket = b.name"
                + " WHERE b.tenant = ?")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Usage(rs.getLong(1), rs.getLong(2));
      }
    }
  }

  /**
   * Refuses (QuotaExceededException) a change of {@code addedObjects} and {@code addedBytes} to a
   * bucket that took it or its tenant past a quota. Called inside the transaction that made the
   * change, after it (the triggers have counted it in {@code bucket_usage}), so that throwing rolls
   * it back. Concurrent writers cannot both slip under a limit: with SQLite nothing runs beside the
   * transaction; with PostgreSQL the change's update of the bucket's usage row holds that row until
   * commit, so the writers to one bucket check one after the other, each seeing the others'
   * committed changes, and the writers to a tenant with a quota take the tenant's row for the same
   * reason.
   */
  void checkQuotaAfterWrite(BucketName bucket, long addedObjects, long addedBytes)
      throws SQLException {
    if (addedObjects <= 0 && addedBytes <= 0) {
      return;
    }
    String tenant;
    Quota bucketQuota;
    Quota tenantQuota;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT b.tenant, b.quota_bytes, b.quota_objects, t.quota_bytes, t.quota_objects"
                + " FROM buckets b JOIN tenants t ON t.name = b.tenant WHERE b.name = ?")) {
      ps.setString(1, bucket.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return;
        }
        tenant = rs.getString(1);
        bucketQuota = new Quota(getLong(rs, 2), getLong(rs, 3));
        tenantQuota = new Quota(getLong(rs, 4), getLong(rs, 5));
      }
    }
    if (!bucketQuota.equals(Quota.NONE)) {
      String over =
          bucketQuota.exceededBy(
              before(bucketUsage(bucket), addedObjects, addedBytes), addedObjects, addedBytes);
      if (over != null) {
        throw new QuotaExceededException(
            "bucket " + bucket.value() + " quota exceeded (" + over + ")");
      }
    }
    if (!tenantQuota.equals(Quota.NONE)) {
      requireTenant(tenant, Dialect.FOR_NO_KEY_UPDATE);
      String over =
          tenantQuota.exceededBy(
              before(tenantUsage(tenant), addedObjects, addedBytes), addedObjects, addedBytes);
      if (over != null) {
        throw new QuotaExceededException("tenant quota exceeded (" + over + ")");
      }
    }
  }

  private static Usage before(Usage after, long addedObjects, long addedBytes) {
    return new Usage(after.objects() - addedObjects, after.bytes() - addedBytes);
  }

  // Users and their policies

  void insertUser(UserRecord u) throws SQLException {
    requireTenant(u.tenant(), Dialect.FOR_KEY_SHARE);
    if (update(
            "INSERT INTO users (tenant, name, created_ms, enabled) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            u.tenant(),
            u.name(),
            u.created().toEpochMilli(),
            u.enabled())
        == 0) {
      throw new IdentityException(
          Reason.USER_EXISTS, "user " + u.name() + " already exists in tenant " + u.tenant());
    }
  }

  List<UserRecord> users(String tenant, String name) throws SQLException {
    List<UserRecord> all = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT tenant, name, created_ms, enabled FROM users WHERE tenant = ?"
                + (name == null ? "" : " AND name = ?")
                + " ORDER BY name")) {
      ps.setString(1, tenant);
      if (name != null) {
        ps.setString(2, name);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          all.add(
              new UserRecord(
                  rs.getString(1),
                  rs.getString(2),
                  Instant.ofEpochMilli(rs.getLong(3)),
                  rs.getBoolean(4)));
        }
      }
    }
    return all;
  }

  private static IdentityException noSuchUser(String tenant, String name) {
    return new IdentityException(Reason.NO_SUCH_USER, "no user " + name + " in tenant " + tenant);
  }

  void setUserEnabled(String tenant, String name, boolean enabled) throws SQLException {
    if (update("UPDATE users SET enabled = ? WHERE tenant = ? AND name = ?", enabled, tenant, name)
        == 0) {
      throw noSuchUser(tenant, name);
    }
  }

  /**
   * Throws NO_SUCH_USER unless the user exists, and keeps it from being deleted until the
   * transaction ends.
   */
  private void requireUser(String tenant, String name) throws SQLException {
    if (!exists(
        "SELECT 1 FROM users WHERE tenant = ? AND name = ?" + dialect.lock(Dialect.FOR_KEY_SHARE),
        tenant,
        name)) {
      throw noSuchUser(tenant, name);
    }
  }

  void deleteUser(String tenant, String name) throws SQLException {
    update("DELETE FROM access_keys WHERE tenant = ? AND \"user\" = ?", tenant, name);
    update("DELETE FROM user_policies WHERE tenant = ? AND \"user\" = ?", tenant, name);
    update(
        "DELETE FROM policy_attachments WHERE tenant = ? AND holder_kind = 'USER' AND holder = ?",
        tenant,
        name);
    if (update("DELETE FROM users WHERE tenant = ? AND name = ?", tenant, name) == 0) {
      throw noSuchUser(tenant, name);
    }
  }

  void putUserPolicy(String tenant, String user, String name, String document) throws SQLException {
    requireUser(tenant, user);
    update(
        "INSERT INTO user_policies (tenant, \"user\", name, document) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (tenant, \"user\", name) DO UPDATE SET document = excluded.document",
        tenant,
        user,
        name,
        document);
  }

  Map<String, String> userPolicies(String tenant, String user) throws SQLException {
    Map<String, String> all = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name, document FROM user_policies WHERE tenant = ? AND \"user\" = ? ORDER BY name")) {
      ps.setString(1, tenant);
      ps.setString(2, user);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          all.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return all;
  }

  void deleteUserPolicy(String tenant, String user, String name) throws SQLException {
    if (update(
            "DELETE FROM user_policies WHERE tenant = ? AND \"user\" = ? AND name = ?",
            tenant,
            user,
            name)
        == 0) {
      throw new IdentityException(
          Reason.NO_SUCH_POLICY, "user " + user + " has no policy named " + name);
    }
  }

  // Access keys

  void insertAccessKey(AccessKeyRecord k) throws SQLException {
    requireUser(k.tenant(), k.user());
    update(
        "INSERT INTO access_keys (access_key, tenant, \"user\", sealed_secret, enabled, created_ms)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        k.accessKeyId(),
        k.tenant(),
        k.user(),
        k.sealedSecret(),
        k.enabled(),
        k.created().toEpochMilli());
  }

  List<AccessKeyRecord> accessKeys(String where, String... args) throws SQLException {
    List<AccessKeyRecord> all = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT access_key, tenant, \"user\", sealed_secret, enabled, created_ms FROM access_keys WHERE "
                + where
                + " ORDER BY created_ms, access_key")) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          all.add(
              new AccessKeyRecord(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getBytes(4),
                  rs.getBoolean(5),
                  Instant.ofEpochMilli(rs.getLong(6))));
        }
      }
    }
    return all;
  }

  private static IdentityException noSuchKey(String id) {
    return new IdentityException(Reason.NO_SUCH_ACCESS_KEY, "no access key " + id);
  }

  boolean reseal(String id, byte[] current, byte[] sealed) throws SQLException {
    return update(
            "UPDATE access_keys SET sealed_secret = ? WHERE access_key = ? AND sealed_secret = ?",
            sealed,
            id,
            current)
        == 1;
  }

  void setAccessKeyEnabled(String id, boolean enabled) throws SQLException {
    if (update("UPDATE access_keys SET enabled = ? WHERE access_key = ?", enabled, id) == 0) {
      throw noSuchKey(id);
    }
  }

  void deleteAccessKey(String id) throws SQLException {
    if (update("DELETE FROM access_keys WHERE access_key = ?", id) == 0) {
      throw noSuchKey(id);
    }
  }
}
