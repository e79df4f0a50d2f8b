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

/** The {@link IdentityStore} of {@link SqliteMetadataStore}: tenants, users, access keys, quotas. */
final class SqliteIdentities implements IdentityStore {
  private final SqliteDatabase db;
  private final IdentityRows identities;
  private final BucketRows buckets;

  SqliteIdentities(SqliteDatabase db, IdentityRows identities, BucketRows buckets) {
    this.db = db;
    this.identities = identities;
    this.buckets = buckets;
  }

  @Override
  public void createTenant(TenantRecord tenant) {
    db.transaction("createTenant", () -> {
      identities.insertTenant(tenant);
      return null;
    });
  }

  @Override
  public Optional<TenantRecord> tenant(String name) {
    return db.locked("tenant", () -> identities.tenant(name));
  }

  @Override
  public List<TenantRecord> tenants() {
    return db.locked("tenants", identities::tenants);
  }

  @Override
  public void setTenantQuota(String tenant, Quota quota) {
    db.transaction("setTenantQuota", () -> {
      identities.setTenantQuota(tenant, quota);
      return null;
    });
  }

  @Override
  public void deleteTenant(String tenant) {
    db.transaction("deleteTenant", () -> {
      identities.deleteTenant(tenant);
      return null;
    });
  }

  @Override
  public List<BucketRecord> buckets(String tenant) {
    return db.locked("bucketsOfTenant", () -> buckets.ofTenant(tenant));
  }

  @Override
  public void setBucketQuota(BucketName bucket, Quota quota) {
    db.transaction("setBucketQuota", () -> {
      identities.setBucketQuota(bucket, quota);
      return null;
    });
  }

  @Override
  public Usage bucketUsage(BucketName bucket) {
    return db.locked("bucketUsage", () -> identities.bucketUsage(bucket));
  }

  @Override
  public Usage tenantUsage(String tenant) {
    return db.locked("tenantUsage", () -> identities.tenantUsage(tenant));
  }

  @Override
  public void createUser(UserRecord user) {
    db.transaction("createUser", () -> {
      identities.insertUser(user);
      return null;
    });
  }

  @Override
  public Optional<UserRecord> user(String tenant, String name) {
    return db.locked("user", () -> identities.users(tenant, name).stream().findFirst());
  }

  @Override
  public List<UserRecord> users(String tenant) {
    return db.locked("users", () -> identities.users(tenant, null));
  }

  @Override
  public void setUserEnabled(String tenant, String name, boolean enabled) {
    db.transaction("setUserEnabled", () -> {
      identities.setUserEnabled(tenant, name, enabled);
      return null;
    });
  }

  @Override
  public void deleteUser(String tenant, String name) {
    db.transaction("deleteUser", () -> {
      identities.deleteUser(tenant, name);
      return null;
    });
  }

  @Override
  public void putUserPolicy(String tenant, String user, String name, String document) {
    db.transaction("putUserPolicy", () -> {
      identities.putUserPolicy(tenant, user, name, document);
      return null;
    });
  }

  @Override
  public Map<String, String> userPolicies(String tenant, String user) {
    return db.locked("userPolicies", () -> identities.userPolicies(tenant, user));
  }

  @Override
  public void deleteUserPolicy(String tenant, String user, String name) {
    db.transaction("deleteUserPolicy", () -> {
      identities.deleteUserPolicy(tenant, user, name);
      return null;
    });
  }

  @Override
  public void createAccessKey(AccessKeyRecord key) {
    db.transaction("createAccessKey", () -> {
      identities.insertAccessKey(key);
      return null;
    });
  }

  @Override
  public Optional<AccessKeyRecord> accessKey(String accessKeyId) {
    return db.locked("accessKey", () -> identities.accessKeys("access_key = ?", accessKeyId).stream().findFirst());
  }

  @Override
  public List<AccessKeyRecord> accessKeys(String tenant, String user) {
    return db.locked("accessKeys", () -> user == null
        ? identities.accessKeys("tenant = ?", tenant)
        : identities.accessKeys("tenant = ? AND user = ?", tenant, user));
  }

  @Override
  public void setAccessKeyEnabled(String accessKeyId, boolean enabled) {
    db.transaction("setAccessKeyEnabled", () -> {
      identities.setAccessKeyEnabled(accessKeyId, enabled);
      return null;
    });
  }

  @Override
  public void deleteAccessKey(String accessKeyId) {
    db.transaction("deleteAccessKey", () -> {
      identities.deleteAccessKey(accessKeyId);
      return null;
    });
  }
}
