package fr.coffre.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A role's trust policy (AWS shape): which principals may assume the role, by which STS action,
 * under which conditions. Explicit Deny wins; otherwise an Allow that matches is needed.
 *
 * <p>Principal is {@code "*"}, {@code {"AWS": ...}} (an account id, its {@code :root} ARN, or a
 * user ARN {@code arn:aws:iam::ACCOUNT:user/NAME}) or {@code {"Federated": ...}} (an OIDC issuer,
 * written as its URL, its host and path, or {@code arn:aws:iam::ACCOUNT:oidc-provider/HOST}).
 * Action is {@code sts:AssumeRole}, {@code sts:AssumeRoleWithWebIdentity}, or a wildcard of them.
 * Condition supports the string operators ({@code StringEquals}, {@code StringNotEquals}, {@code
 * StringLike}, {@code StringNotLike}, {@code StringEqualsIgnoreCase}, each also with {@code
 * ForAnyValue:} or {@code ForAllValues:}); keys are case-insensitive and a missing key fails every
 * operator but the negated ones, as in IAM.
 */
public final class TrustPolicy {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> OPERATORS =
      Set.of(
          "stringequals",
          "stringnotequals",
          "stringlike",
          "stringnotlike",
          "stringequalsignorecase");

  /** Who asks to assume the role. */
  public record Requester(
      @Nullable String accountId, @Nullable String userName, @Nullable String issuer) {
    /** A user of an account (sts:AssumeRole). */
    public static Requester user(String accountId, String userName) {
      return new Requester(accountId, userName, null);
    }

    /** The holder of a token from an OIDC issuer (sts:AssumeRoleWithWebIdentity). */
    public static Requester federated(String issuer) {
      return new Requester(null, null, issuer);
    }
  }

  private record Clause(String operator, boolean allValues, String key, List<String> values) {}

  private record Statement(
      boolean allow,
      boolean everyone,
      List<String> aws,
      List<String> federated,
      List<Pattern> actions,
      List<Clause> conditions) {}

  private final List<Statement> statements;
  private final String roleAccount;

  private TrustPolicy(List<Statement> statements, String roleAccount) {
    this.statements = statements;
    this.roleAccount = roleAccount;
  }

  /**
   * Parses a trust policy of a role of {@code roleAccount}.
   *
   * @throws MalformedPolicyException saying what is wrong
   */
  public static TrustPolicy parse(String json, String roleAccount) throws MalformedPolicyException {
    if (json == null || json.getBytes(StandardCharsets.UTF_8).length > Policy.MAX_BYTES) {
      throw new MalformedPolicyException("a trust policy is a JSON document of at most 20 KiB");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MalformedPolicyException("the trust policy is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new MalformedPolicyException("the trust policy must be a JSON object");
    }
    JsonNode st = root.get("Statement");
    if (st == null) {
      throw new MalformedPolicyException("the trust policy has no Statement");
    }
    List<Statement> statements = new ArrayList<>();
    for (JsonNode s : st.isArray() ? st : List.of(st)) {
      statements.add(statement(s));
    }
    if (statements.isEmpty()) {
      throw new MalformedPolicyException("the trust policy has no Statement");
    }
    return new TrustPolicy(List.copyOf(statements), roleAccount);
  }

  private static Statement statement(JsonNode s) throws MalformedPolicyException {
    if (!s.isObject()) {
      throw new MalformedPolicyException("each Statement must be an object");
    }
    String effect = s.path("Effect").asText("");
    if (!effect.equals("Allow") && !effect.equals("Deny")) {
      throw new MalformedPolicyException("Effect must be Allow or Deny, got '" + effect + "'");
    }
    JsonNode principal = s.get("Principal");
    if (principal == null) {
      throw new MalformedPolicyException("a trust policy statement needs a Principal");
    }
    boolean everyone = principal.isTextual() && principal.asText().equals("*");
    List<String> aws = List.of();
    List<String> federated = List.of();
    if (!everyone) {
      if (!principal.isObject()) {
        throw new MalformedPolicyException("Principal must be \"*\" or an object");
      }
      for (Iterator<String> it = principal.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!name.equals("AWS") && !name.equals("Federated")) {
          throw new MalformedPolicyException(
              "Principal " + name + " is not supported (AWS or Federated)");
        }
      }
      aws = strings(principal.get("AWS"), "Principal.AWS");
      federated = strings(principal.get("Federated"), "Principal.Federated");
      for (String a : aws) {
        if (!a.equals("*")
            && !a.matches("[0-9]{12}")
            && !a.matches("arn:aws:iam::[0-9]{12}:(root|user/[A-Za-z0-9+=,.@_-]{1,64})")) {
          throw new MalformedPolicyException(
              "Principal.AWS '"
                  + a
                  + "' is not \"*\", an account id, arn:aws:iam::<account>:root or"
                  + " arn:aws:iam::<account>:user/<name>");
        }
      }
    }
    List<String> actionTexts = strings(s.get("Action"), "Action");
    if (actionTexts.isEmpty()) {
      throw new MalformedPolicyException("a trust policy statement needs an Action");
    }
    List<Pattern> actions = new ArrayList<>();
    for (String a : actionTexts) {
      if (!a.equals("*") && !a.toLowerCase(Locale.ROOT).startsWith("sts:")) {
        throw new MalformedPolicyException("a trust policy only grants sts: actions, got " + a);
      }
      actions.add(wildcard(a, true));
    }
    List<Clause> conditions = new ArrayList<>();
    JsonNode condition = s.get("Condition");
    if (condition != null) {
      if (!condition.isObject()) {
        throw new MalformedPolicyException("Condition must be an object");
      }
      for (Map.Entry<String, JsonNode> op : condition.properties()) {
        String operator = op.getKey();
        String lower = operator.toLowerCase(Locale.ROOT);
        boolean allValues = lower.startsWith("forallvalues:");
        String base = lower.replaceFirst("^(foranyvalue|forallvalues):", "");
        if (!OPERATORS.contains(base) || !op.getValue().isObject()) {
          throw new MalformedPolicyException(
              "condition operator " + operator + " is not supported");
        }
        for (Map.Entry<String, JsonNode> kv : op.getValue().properties()) {
          conditions.add(
              new Clause(
                  base,
                  allValues,
                  kv.getKey().toLowerCase(Locale.ROOT),
                  strings(kv.getValue(), "Condition " + kv.getKey())));
        }
      }
    }
    return new Statement(
        effect.equals("Allow"),
        everyone,
        aws,
        federated,
        List.copyOf(actions),
        List.copyOf(conditions));
  }

  private static List<String> strings(@Nullable JsonNode node, String what)
      throws MalformedPolicyException {
    if (node == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode v : node.isArray() ? node : List.of(node)) {
      if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
        throw new MalformedPolicyException(what + " must be a string or a list of strings");
      }
      out.add(v.asText());
    }
    return out;
  }

  private static Pattern wildcard(String text, boolean ignoreCase) {
    StringBuilder re = new StringBuilder();
    for (String part : text.split("((?<=[*?])|(?=[*?]))")) {
      switch (part) {
        case "*" -> re.append(".*");
        case "?" -> re.append('.');
        default -> re.append(Pattern.quote(part));
      }
    }
    return Pattern.compile(
        re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
  }

  /**
   * Whether the policy lets {@code who} perform {@code action} on the role.
   *
   * @param context the request's condition keys, lower case (e.g. {@code
   *     accounts.example.org:aud}), each with its values
   */
  public boolean allows(String action, Requester who, Map<String, List<String>> context) {
    boolean allowed = false;
    for (Statement s : statements) {
      if (matches(s, action, who, context)) {
        if (!s.allow()) {
          return false;
        }
        allowed = true;
      }
    }
    return allowed;
  }

  private boolean matches(
      Statement s, String action, Requester who, Map<String, List<String>> context) {
    if (s.actions().stream().noneMatch(p -> p.matcher(action).matches())) {
      return false;
    }
    if (!s.everyone() && !principalMatches(s, who)) {
      return false;
    }
    for (Clause c : s.conditions()) {
      if (!holds(c, context.get(c.key()))) {
        return false;
      }
    }
    return true;
  }

  private boolean principalMatches(Statement s, Requester who) {
    if (who.issuer() != null) {
      String issuer = provider(who.issuer());
      for (String f : s.federated()) {
        String prefix = "arn:aws:iam::" + roleAccount + ":oidc-provider/";
        String named = f.startsWith(prefix) ? f.substring(prefix.length()) : f;
        if (!named.startsWith("arn:") && provider(named).equals(issuer)) {
          return true;
        }
      }
      return false;
    }
    for (String a : s.aws()) {
      if (a.equals("*")
          || a.equals(who.accountId())
          || a.equals("arn:aws:iam::" + who.accountId() + ":root")
          || a.equals("arn:aws:iam::" + who.accountId() + ":user/" + who.userName())) {
        return true;
      }
    }
    return false;
  }

  /** An issuer as IAM names its OIDC provider: without scheme and trailing slash. */
  public static String provider(String issuer) {
    String p = issuer.replaceFirst("^https?://", "");
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static boolean holds(Clause c, @Nullable List<String> actual) {
    boolean negated = c.operator().contains("not");
    if (actual == null || actual.isEmpty()) {
      return negated;
    }
    boolean any = false;
    boolean all = true;
    for (String value : actual) {
      boolean m = false;
      for (String expected : c.values()) {
        m |=
            switch (c.operator()) {
              case "stringequals", "stringnotequals" -> expected.equals(value);
              case "stringequalsignorecase" -> expected.equalsIgnoreCase(value);
              default -> wildcard(expected, false).matcher(value).matches();
            };
      }
      any |= m;
      all &= m;
    }
    if (negated) {
      return !any;
    }
    // ForAllValues needs every value to match; a plain operator on a multi-valued key (an "aud"
    // list) needs one, as IAM's OIDC keys behave.
    return c.allValues() ? all : any;
  }
}
