package fr.coffre.metadata;

import fr.coffre.core.AccessKeyRecord;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.IdentityException;
import fr.coffre.core.Quota;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.Usage;
import fr.coffre.core.UserRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Tenants, their users, access keys, identity policies, quotas and usage, as rows. Each mutating
 * method is one durable transaction; failures are {@link IdentityException}s naming what is missing
 * or in the way.
 */
public interface IdentityStore {

  /** Records a new tenant; TENANT_EXISTS if its name or account id is taken. */
  void createTenant(TenantRecord tenant);

  Optional<TenantRecord> tenant(String name);

  /** Every tenant, ordered by name. */
  List<TenantRecord> tenants();

  /** Replaces a tenant's quota; NO_SUCH_TENANT. */
  void setTenantQuota(String tenant, Quota quota);

  /** A tenant's setting (e.g. its account-level Block Public Access), if set. */
  Optional<String> tenantSetting(String tenant, String name);

  /** Sets a tenant's setting, or removes it when {@code value} is null; NO_SUCH_TENANT. */
  void putTenantSetting(String tenant, String name, @Nullable String value);

  /**
   * Removes a tenant that owns nothing any more; TENANT_NOT_EMPTY while it has buckets, users or
   * KMS keys that are not destroyed.
   */
  void deleteTenant(String tenant);

  /** The buckets a tenant owns, ordered by name. */
  List<BucketRecord> buckets(String tenant);

  /**
   * A page of the buckets a tenant owns, ordered by name: up to {@code limit} after {@code after}
   * whose names start with {@code prefix} (either may be null). Its cost grows with the page, not
   * with the tenant's buckets.
   */
  List<BucketRecord> buckets(
      String tenant, @Nullable String prefix, @Nullable String after, int limit);

  /** Replaces a bucket's quota; NoSuchBucketException. */
  void setBucketQuota(BucketName bucket, Quota quota);

  /** What a bucket holds now (kept exact in the transactions that change its objects). */
  Usage bucketUsage(BucketName bucket);

  /** What all of a tenant's buckets hold. */
  Usage tenantUsage(String tenant);

  /** Records a new user; NO_SUCH_TENANT, USER_EXISTS. */
  void createUser(UserRecord user);

  Optional<UserRecord> user(String tenant, String name);

  /** A tenant's users, ordered by name. */
  List<UserRecord> users(String tenant);

  /** Enables or disables a user (and so all its keys); NO_SUCH_USER. */
  void setUserEnabled(String tenant, String name, boolean enabled);

  /** Removes a user with its access keys and policies; NO_SUCH_USER. */
  void deleteUser(String tenant, String name);

  /** Sets (creates or replaces) a named identity policy of a user; NO_SUCH_USER. */
  void putUserPolicy(String tenant, String user, String name, String document);

  /** A user's identity policies by name, ordered by name. */
  Map<String, String> userPolicies(String tenant, String user);

  /** Removes a named policy of a user; NO_SUCH_POLICY. */
  void deleteUserPolicy(String tenant, String user, String name);

  /** Records a new access key; NO_SUCH_USER. */
  void createAccessKey(AccessKeyRecord key);

  Optional<AccessKeyRecord> accessKey(String accessKeyId);

  /** A user's access keys (every key of the tenant when {@code user} is null), oldest first. */
  List<AccessKeyRecord> accessKeys(String tenant, String user);

  /** Activates or deactivates an access key; NO_SUCH_ACCESS_KEY. */
  void setAccessKeyEnabled(String accessKeyId, boolean enabled);

  /**
   * Replaces an access key's sealed secret (a root key rotation's re-wrap) if the row still holds
   * {@code current}; false otherwise (changed or deleted meanwhile).
   */
  boolean resealAccessKey(String accessKeyId, byte[] current, byte[] sealed);

  /** Removes an access key; NO_SUCH_ACCESS_KEY. */
  void deleteAccessKey(String accessKeyId);
}
