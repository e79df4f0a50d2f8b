package fr.coffre.core;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A role of a tenant: an identity without long-term keys that trusted principals assume (STS) to
 * act under its policies for a while.
 *
 * @param trustPolicy the JSON document saying who may assume it (AWS shape: Principal AWS or
 *     Federated, Action sts:AssumeRole or sts:AssumeRoleWithWebIdentity, Condition)
 * @param maxSessionSeconds the longest its temporary credentials live, 3600 to 43200 as in IAM
 */
public record RoleRecord(
    String tenant, String name, String trustPolicy, int maxSessionSeconds, Instant created) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,64}");

  /** The shortest session a role may cap its credentials at, and the default cap (IAM's). */
  public static final int DEFAULT_MAX_SESSION_SECONDS = 3600;

  /** The longest session a role may allow (IAM's bound, 12 hours). */
  public static final int MAX_SESSION_SECONDS = 43_200;

  public RoleRecord {
    TenantRecord.validName(tenant);
    validName(name);
    Objects.requireNonNull(trustPolicy, "trustPolicy");
    Objects.requireNonNull(created, "created");
    if (maxSessionSeconds < DEFAULT_MAX_SESSION_SECONDS
        || maxSessionSeconds > MAX_SESSION_SECONDS) {
      throw new InvalidArgumentException(
          "MaxSessionDuration must be between 3600 and 43200 seconds, got " + maxSessionSeconds);
    }
  }

  /** Checks a role, group or managed policy name as IAM does. */
  public static String validName(@Nullable String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidArgumentException(
          "name must be 1 to 64 letters, digits or +=,.@_- : " + name);
    }
    return name;
  }

  /** The role's ARN, {@code arn:aws:iam::ACCOUNT:role/NAME}. */
  public String arn(String accountId) {
    return "arn:aws:iam::" + accountId + ":role/" + name;
  }
}
