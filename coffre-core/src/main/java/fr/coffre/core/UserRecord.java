package fr.coffre.core;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A user inside a tenant: a person or an application, with access keys and identity policies.
 *
 * @param enabled a disabled user's keys are all refused
 */
public record UserRecord(String tenant, String name, Instant created, boolean enabled) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,64}");

  public UserRecord {
    TenantRecord.validName(tenant);
    validName(name);
    Objects.requireNonNull(created, "created");
  }

  /** Checks a user name as IAM does (letters, digits and {@code +=,.@_-}, 1 to 64). */
  public static String validName(@Nullable String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidArgumentException(
          "user name must be 1 to 64 letters, digits or +=,.@_- : " + name);
    }
    return name;
  }
}
