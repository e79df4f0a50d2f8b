package fr.coffre.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A bucket policy statement's Principal or NotPrincipal, compiled: everyone, accounts (an account
 * id or its {@code :root} ARN, which AWS treats alike), and users ({@code :user/NAME} ARNs).
 *
 * <p>{@link #match} distinguishes how a caller matched, because AWS does: naming a user or everyone
 * grants to that caller directly, while naming an account <em>delegates</em> to the account, whose
 * own identity policies must then grant the user (see {@link AccessDecision}).
 */
final class PrincipalMatcher {
  static final int NONE = 0;
  static final int DELEGATED = 1;
  static final int DIRECT = 2;

  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
  private static final Pattern ROOT_ARN = Pattern.compile("arn:aws:iam::([0-9]{12}):root");
  private static final Pattern USER_ARN =
      Pattern.compile("arn:aws:iam::([0-9]{12}):user/([A-Za-z0-9+=,.@_-]{1,64})");
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws:iam::([0-9]{12}):role/([A-Za-z0-9+=,.@_-]{1,64})");
  private static final Pattern ASSUMED_ROLE_ARN =
      Pattern.compile(
          "arn:aws:sts::([0-9]{12}):assumed-role/([A-Za-z0-9+=,.@_-]{1,64})/([A-Za-z0-9+=,.@_-]{2,64})");

  private final boolean everyone;
  private final String[] accounts;
  private final String[] userAccounts;
  private final String[] userNames;
  private final String[] roles;
  private final boolean negated;

  private PrincipalMatcher(
      boolean everyone,
      String[] accounts,
      String[] userAccounts,
      String[] userNames,
      String[] roles,
      boolean negated) {
    this.everyone = everyone;
    this.accounts = accounts;
    this.userAccounts = userAccounts;
    this.userNames = userNames;
    this.roles = roles;
    this.negated = negated;
  }

  /**
   * Compiles the values of {"AWS": ...} ({@code null} for the bare "*").
   *
   * @throws IllegalArgumentException naming the value that is not a principal Coffre knows
   */
  static PrincipalMatcher compile(@Nullable List<String> aws, boolean negated) {
    if (aws == null) {
      return new PrincipalMatcher(
          true, new String[0], new String[0], new String[0], new String[0], negated);
    }
    boolean everyone = false;
    List<String> accounts = new ArrayList<>();
    List<String> userAccounts = new ArrayList<>();
    List<String> userNames = new ArrayList<>();
    // A role ARN is kept as "ACCOUNT:role/NAME", an assumed-role ARN as
    // "ACCOUNT:assumed-role/NAME/SESSION": each compares with a caller's in one equals.
    List<String> roles = new ArrayList<>();
    for (String v : aws) {
      Matcher m;
      if (v.equals("*")) {
        everyone = true;
      } else if (ACCOUNT.matcher(v).matches()) {
        accounts.add(v);
      } else if ((m = ROOT_ARN.matcher(v)).matches()) {
        accounts.add(m.group(1));
      } else if ((m = USER_ARN.matcher(v)).matches()) {
        userAccounts.add(m.group(1));
        userNames.add(m.group(2));
      } else if ((m = ROLE_ARN.matcher(v)).matches()) {
        roles.add(m.group(1) + ":role/" + m.group(2));
      } else if ((m = ASSUMED_ROLE_ARN.matcher(v)).matches()) {
        roles.add(m.group(1) + ":assumed-role/" + m.group(2) + "/" + m.group(3));
      } else {
        throw new IllegalArgumentException(
            "'"
                + v
                + "' is not \"*\", a 12-digit account id, "
                + "arn:aws:iam::<account>:root, arn:aws:iam::<account>:user/<name>,"
                + " arn:aws:iam::<account>:role/<name> or"
                + " arn:aws:sts::<account>:assumed-role/<role>/<session>");
      }
    }
    return new PrincipalMatcher(
        everyone,
        accounts.toArray(String[]::new),
        userAccounts.toArray(String[]::new),
        userNames.toArray(String[]::new),
        roles.toArray(String[]::new),
        negated);
  }

  /** NONE, DELEGATED or DIRECT; NotPrincipal applies directly to everyone it does not list. */
  int match(Caller caller) {
    int listed = listed(caller);
    if (negated) {
      return listed == NONE ? DIRECT : NONE;
    }
    return listed;
  }

  private int listed(Caller caller) {
    if (everyone) {
      return DIRECT;
    }
    if (caller.anonymous()) {
      return NONE;
    }
    String account = caller.accountId();
    if (caller.roleName() != null) {
      String role = account + ":role/" + caller.roleName();
      String session = account + ":assumed-role/" + caller.roleName() + "/" + caller.sessionName();
      for (String r : roles) {
        if (r.equals(role) || r.equals(session)) {
          return DIRECT;
        }
      }
    } else if (!caller.accountRoot()) {
      for (int i = 0; i < userNames.length; i++) {
        if (userNames[i].equals(caller.userName()) && userAccounts[i].equals(account)) {
          return DIRECT;
        }
      }
    }
    for (String a : accounts) {
      if (a.equals(account)) {
        // The root user is the account itself; anyone else in it is reached through delegation.
        return caller.accountRoot() ? DIRECT : DELEGATED;
      }
    }
    return NONE;
  }
}
