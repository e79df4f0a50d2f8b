package fr.coffre.policy;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Who makes a request: an anonymous client, the root user of an account, a named user of an
 * account, or a session of one of its roles (temporary credentials). Policies name callers by
 * account id and ARN, so this is all they need.
 *
 * @param accountId twelve digits; null for an anonymous caller
 * @param userName the IAM-style user name; null for the account root and for anonymous callers
 * @param anonymous an unsigned request: no account, no user
 * @param accountRoot the account's root user, which policies name as {@code
 *     arn:aws:iam::ACCOUNT:root}
 * @param roleName the role a role session acts as (then userName is null), else null
 * @param sessionName the role session's name, with roleName
 */
public record Caller(
    @Nullable String accountId,
    @Nullable String userName,
    boolean anonymous,
    boolean accountRoot,
    @Nullable String roleName,
    @Nullable String sessionName) {
  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,64}");

  /** A caller that is not a role session. */
  public Caller(
      @Nullable String accountId,
      @Nullable String userName,
      boolean anonymous,
      boolean accountRoot) {
    this(accountId, userName, anonymous, accountRoot, null, null);
  }

  public Caller {
    if (roleName != null) {
      if (anonymous || accountRoot || userName != null || sessionName == null) {
        throw new IllegalArgumentException(
            "a role session has an account, a role and a session name, and no user name");
      }
      if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
        throw new IllegalArgumentException("account id must be 12 digits, got " + accountId);
      }
    } else if (anonymous) {
      if (accountId != null || userName != null || accountRoot) {
        throw new IllegalArgumentException("an anonymous caller has no account, user or root flag");
      }
    } else {
      if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
        throw new IllegalArgumentException("account id must be 12 digits, got " + accountId);
      }
      if (accountRoot != (userName == null)) {
        throw new IllegalArgumentException(
            accountRoot
                ? "the account root has no user name, got " + userName
                : "a caller that is not the account root needs a user name");
      }
      if (userName != null && !USER.matcher(userName).matches()) {
        throw new IllegalArgumentException(
            "user name must be 1 to 64 letters, digits or +=,.@_- : " + userName);
      }
    }
  }

  public static Caller anonymousCaller() {
    return new Caller(null, null, true, false);
  }

  public static Caller root(String accountId) {
    return new Caller(accountId, null, false, true);
  }

  public static Caller user(String accountId, String userName) {
    return new Caller(accountId, userName, false, false);
  }

  /** A session of a role (temporary credentials from STS). */
  public static Caller roleSession(String accountId, String roleName, String sessionName) {
    return new Caller(accountId, null, false, false, roleName, sessionName);
  }

  /**
   * The caller's ARN as policies write it: {@code arn:aws:iam::ACCOUNT:user/NAME}, or {@code
   * arn:aws:iam::ACCOUNT:root} for the account root; null for an anonymous caller, which has none.
   */
  public @Nullable String arn() {
    if (anonymous) {
      return null;
    }
    if (roleName != null) {
      return "arn:aws:sts::" + accountId + ":assumed-role/" + roleName + "/" + sessionName;
    }
    return accountRoot
        ? "arn:aws:iam::" + accountId + ":root"
        : "arn:aws:iam::" + accountId + ":user/" + userName;
  }

  @Override
  public String toString() {
    String arn = arn();
    return arn == null ? "anonymous" : arn;
  }
}
