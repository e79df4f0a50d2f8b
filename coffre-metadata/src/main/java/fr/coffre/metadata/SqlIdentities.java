package fr.coffre.metadata;

import fr.coffre.core.AccessKeyRecord;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.Quota;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.Usage;
import fr.coffre.core.UserRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The {@link IdentityStore} of the SQL stores: tenants, users, access keys, quotas. */
final class SqlIdentities implements IdentityStore {
  private final SqlDatabase db;

  SqlIdentities(SqlDatabase db) {
    this.db = db;
  }

  @Override
  public void createTenant(TenantRecord tenant) {
    db.transaction(
        "createTenant",
        s -> {
          s.identities().insertTenant(tenant);
          return null;
        });
  }

  @Override
  public Optional<TenantRecord> tenant(String name) {
    return db.read("tenant", s -> s.identities().tenant(name));
  }

  @Override
  public List<TenantRecord> tenants() {
    return db.read("tenants", s -> s.identities().tenants());
  }

  @Override
  public void setTenantQuota(String tenant, Quota quota) {
    db.transaction(
        "setTenantQuota",
        s -> {
          s.identities().setTenantQuota(tenant, quota);
          return null;
        });
  }

  @Override
  public Optional<String> tenantSetting(String tenant, String name) {
    return db.read("tenantSetting", s -> s.identities().tenantSetting(tenant, name));
  }

  @Override
  public void putTenantSetting(String tenant, String name, @Nullable String value) {
    db.transaction(
        "putTenantSetting",
        s -> {
          s.identities().putTenantSetting(tenant, name, value);
          return null;
        });
  }

  @Override
  public void deleteTenant(String tenant) {
    db.transaction(
        "deleteTenant",
        s -> {
          s.identities().deleteTenant(tenant);
          return null;
        });
  }

  @Override
  public List<BucketRecord> buckets(String tenant) {
    return db.read("bucketsOfTenant", s -> s.buckets().ofTenant(tenant));
  }

  @Override
  public List<BucketRecord> buckets(
      String tenant, @Nullable String prefix, @Nullable String after, int limit) {
    return db.read("bucketPage", s -> s.buckets().page(tenant, prefix, after, limit));
  }

  @Override
  public void setBucketQuota(BucketName bucket, Quota quota) {
    db.transaction(
        "setBucketQuota",
        s -> {
          s.identities().setBucketQuota(bucket, quota);
          return null;
        });
  }

  @Override
  public Usage bucketUsage(BucketName bucket) {
    return db.read("bucketUsage", s -> s.identities().bucketUsage(bucket));
  }

  @Override
  public Usage tenantUsage(String tenant) {
    return db.read("tenantUsage", s -> s.identities().tenantUsage(tenant));
  }

  @Override
  public void createUser(UserRecord user) {
    db.transaction(
        "createUser",
        s -> {
          s.identities().insertUser(user);
          return null;
        });
  }

  @Override
  public Optional<UserRecord> user(String tenant, String name) {
    return db.read("user", s -> s.identities().users(tenant, name).stream().findFirst());
  }

  @Override
  public List<UserRecord> users(String tenant) {
    return db.read("users", s -> s.identities().users(tenant, null));
  }

  @Override
  public void setUserEnabled(String tenant, String name, boolean enabled) {
    db.transaction(
        "setUserEnabled",
        s -> {
          s.identities().setUserEnabled(tenant, name, enabled);
          return null;
        });
  }

  @Override
  public void deleteUser(String tenant, String name) {
    db.transaction(
        "deleteUser",
        s -> {
          s.identities().deleteUser(tenant, name);
          return null;
        });
  }

  @Override
  public void putUserPolicy(String tenant, String user, String name, String document) {
    db.transaction(
        "putUserPolicy",
        s -> {
          s.identities().putUserPolicy(tenant, user, name, document);
          return null;
        });
  }

  @Override
  public Map<String, String> userPolicies(String tenant, String user) {
    return db.read("userPolicies", s -> s.identities().userPolicies(tenant, user));
  }

  @Override
  public void deleteUserPolicy(String tenant, String user, String name) {
    db.transaction(
        "deleteUserPolicy",
        s -> {
          s.identities().deleteUserPolicy(tenant, user, name);
          return null;
        });
  }

  @Override
  public void createAccessKey(AccessKeyRecord key) {
    db.transaction(
        "createAccessKey",
        s -> {
          s.identities().insertAccessKey(key);
          return null;
        });
  }

  @Override
  public Optional<AccessKeyRecord> accessKey(String accessKeyId) {
    return db.read(
        "accessKey",
        s -> s.identities().accessKeys("access_key = ?", accessKeyId).stream().findFirst());
  }

  @Override
  public List<AccessKeyRecord> accessKeys(String tenant, String user) {
    return db.read(
        "accessKeys",
        s ->
            user == null
                ? s.identities().accessKeys("tenant = ?", tenant)
                : s.identities().accessKeys("tenant = ? AND \"user\" = ?", tenant, user));
  }

  @Override
  public boolean resealAccessKey(String accessKeyId, byte[] current, byte[] sealed) {
    return db.transaction(
        "resealAccessKey", s -> s.identities().reseal(accessKeyId, current, sealed));
  }

  @Override
  public void setAccessKeyEnabled(String accessKeyId, boolean enabled) {
    db.transaction(
        "setAccessKeyEnabled",
        s -> {
          s.identities().setAccessKeyEnabled(accessKeyId, enabled);
          return null;
        });
  }

  @Override
  public void deleteAccessKey(String accessKeyId) {
    db.transaction(
        "deleteAccessKey",
        s -> {
          s.identities().deleteAccessKey(accessKeyId);
          return null;
        });
  }
}
