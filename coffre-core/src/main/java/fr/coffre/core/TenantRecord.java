package fr.coffre.core;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A tenant (an account, in AWS's words): it owns buckets, users, access keys and KMS keys, and is
 * isolated from every other tenant.
 *
 * @param name the operator's name for it (lower-case letters, digits and '-', 3 to 63)
 * @param accountId twelve digits, used in ARNs and as the canonical owner id
 */
public record TenantRecord(String name, String accountId, Instant created, Quota quota) {
  /** The tenant that existed before tenants did: it owns the root credentials and older buckets. */
  public static final String DEFAULT = "default";

  public static final String DEFAULT_ACCOUNT = "000000000000";

  private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]");
  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

  public TenantRecord {
    validName(name);
    if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
      throw new InvalidArgumentException("account id must be 12 digits, got " + accountId);
    }
    Objects.requireNonNull(created, "created");
    quota = quota == null ? Quota.NONE : quota;
  }

  /** Checks a tenant name, with a message saying what is allowed. */
  public static String validName(@Nullable String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidArgumentException(
          "tenant name must be 3 to 63 lower-case letters, digits or '-', not starting or ending with '-': "
              + name);
    }
    return name;
  }

  public TenantRecord withQuota(Quota newQuota) {
    return new TenantRecord(name, accountId, created, newQuota);
  }
}
