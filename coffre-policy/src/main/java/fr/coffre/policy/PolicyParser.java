package fr.coffre.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns policy JSON into a {@link Policy}, checking the grammar as AWS does and naming, in every
 * message, the statement and element at fault. Conditions are left to {@link ConditionParser}.
 */
final class PolicyParser {
  static final String V2012 = "2012-10-17";
  static final String V2008 = "2008-10-17";
  private static final String S3_ARN = "arn:aws:s3:::";
  private static final String IAM_ARN = "arn:aws:iam::";
  private static final String STS_ARN = "arn:aws:sts::";

  // Duplicate keys are an error, not "last one wins": a second "Effect" must not slip through.
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private static final Set<String> TOP = Set.of("Version", "Id", "Statement");
  private static final Set<String> STATEMENT =
      Set.of(
          "Sid",
          "Effect",
          "Principal",
          "NotPrincipal",
          "Action",
          "NotAction",
          "Resource",
          "NotResource",
          "Condition");

  private PolicyParser() {}

  /**
   * @param bucket for a bucket policy put on that bucket, the bucket its resources must stay in
   */
  static Policy parse(String json, PolicyKind kind, @Nullable String bucket)
      throws MalformedPolicyException {
    if (json == null || json.isBlank()) {
      throw new MalformedPolicyException("policy is empty");
    }
    int bytes = utf8Length(json);
    if (bytes > Policy.MAX_BYTES) {
      throw new MalformedPolicyException(
          "policy is " + bytes + " bytes; the limit is " + Policy.MAX_BYTES);
    }
    JsonNode root = readTree(json);
    if (!root.isObject()) {
      throw new MalformedPolicyException("policy must be a JSON object, got " + describe(root));
    }
    checkNames(root, TOP, null, "top-level element");
    String version = optionalString(root, "Version", null);
    if (version != null && !version.equals(V2012) && !version.equals(V2008)) {
      throw new MalformedPolicyException(
          "Version must be " + V2012 + " or " + V2008 + ", got '" + version + "'");
    }
    String id = optionalString(root, "Id", null);
    boolean variables = V2012.equals(version);
    List<JsonNode> nodes = statementNodes(root.get("Statement"));
    List<Statement> statements = new ArrayList<>(nodes.size());
    Map<String, Integer> sids = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      statements.add(statement(nodes.get(i), i, kind, bucket, variables, sids));
    }
    return new Policy(json, kind, version, id, statements);
  }

  private static JsonNode readTree(String json) throws MalformedPolicyException {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
      // The parser's own message may name its internals ("start marker at [Source: ...]"): cut
      // them.
      throw new MalformedPolicyException(
          "invalid JSON"
              + where
              + ": "
              + e.getOriginalMessage()
                  .replaceAll("\\s*\\([^()]*\\[Source:[^\\]]*\\][^()]*\\)", ""));
    }
  }

  private static List<JsonNode> statementNodes(JsonNode node) throws MalformedPolicyException {
    if (node == null) {
      throw new MalformedPolicyException("Statement is missing");
    }
    List<JsonNode> out = new ArrayList<>();
    if (node.isObject()) {
      out.add(node);
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        throw new MalformedPolicyException("Statement must not be an empty array");
      }
      for (JsonNode n : node) {
        if (!n.isObject()) {
          throw new MalformedPolicyException(
              "Statement[" + out.size() + "] must be an object, got " + describe(n));
        }
        out.add(n);
      }
    } else {
      throw new MalformedPolicyException(
          "Statement must be an object or an array of objects, got " + describe(node));
    }
    return out;
  }

  private static Statement statement(
      JsonNode node,
      int index,
      PolicyKind kind,
      @Nullable String bucket,
      boolean variables,
      Map<String, Integer> sids)
      throws MalformedPolicyException {
    String where = "Statement[" + index + "]";
    checkNames(node, STATEMENT, where, "element");
    String sid = optionalString(node, "Sid", where);
    if (sid != null) {
      Integer earlier = sids.putIfAbsent(sid, index);
      if (earlier != null) {
        throw new MalformedPolicyException(
            where + ": Sid '" + sid + "' is already used by Statement[" + earlier + "]");
      }
    }
    Effect effect = effect(node.get("Effect"), where);
    PrincipalMatcher principal = principal(node, kind, where);
    String actionName = exactlyOne(node, "Action", "NotAction", where);
    List<String> actions = strings(node.get(actionName), where, actionName);
    for (String a : actions) {
      if (!validAction(a)) {
        throw new MalformedPolicyException(
            where + ": " + actionName + " '" + a + "' is not an s3, iam, sts (or coffre) action");
      }
    }
    String resourceName = exactlyOne(node, "Resource", "NotResource", where);
    List<String> resources = strings(node.get(resourceName), where, resourceName);
    for (String r : resources) {
      checkResource(r, bucket, where, resourceName);
    }
    Condition[] conditions =
        node.has("Condition")
            ? ConditionParser.parse(node.get("Condition"), where, variables)
            : new Condition[0];
    try {
      return new Statement(
          index,
          sid,
          effect,
          principal,
          new ActionMatcher(actions, actionName.equals("NotAction")),
          new ResourceMatcher(resources, resourceName.equals("NotResource"), variables),
          conditions);
    } catch (IllegalArgumentException e) {
      throw new MalformedPolicyException(where + ": " + resourceName + " " + e.getMessage());
    }
  }

  private static Effect effect(JsonNode node, String where) throws MalformedPolicyException {
    if (node == null) {
      throw new MalformedPolicyException(where + ": Effect is missing");
    }
    String text = node.isTextual() ? node.textValue() : null;
    if ("Allow".equals(text)) {
      return Effect.ALLOW;
    }
    if ("Deny".equals(text)) {
      return Effect.DENY;
    }
    throw new MalformedPolicyException(
        where
            + ": Effect must be Allow or Deny, got "
            + (text != null ? "'" + text + "'" : describe(node)));
  }

  private static @Nullable PrincipalMatcher principal(JsonNode node, PolicyKind kind, String where)
      throws MalformedPolicyException {
    boolean has = node.has("Principal");
    boolean hasNot = node.has("NotPrincipal");
    if (kind == PolicyKind.IDENTITY) {
      if (has || hasNot) {
        throw new MalformedPolicyException(
            where
                + ": "
                + (has ? "Principal" : "NotPrincipal")
                + " is not allowed in an identity policy (the user it is attached to is the principal)");
      }
      return null;
    }
    if (has && hasNot) {
      throw new MalformedPolicyException(where + ": has both Principal and NotPrincipal; use one");
    }
    if (!has && !hasNot) {
      throw new MalformedPolicyException(
          where + ": a bucket policy statement needs Principal or NotPrincipal");
    }
    String name = has ? "Principal" : "NotPrincipal";
    JsonNode p = node.get(name);
    List<String> aws;
    if (p.isTextual() && p.textValue().equals("*")) {
      aws = null;
    } else if (p.isObject() && !p.isEmpty()) {
      for (Map.Entry<String, JsonNode> e : p.properties()) {
        String type = e.getKey();
        if (type.equals("Service")) {
          // AWS service principals (logging.s3.amazonaws.com, the writer of access logs in S3):
          // accepted so that policies written for S3 load, and matching no caller here: no
          // service of Coffre acts through bucket policies (access logs are written by the
          // server itself, docs/access-logs.md).
          strings(e.getValue(), where, name + " Service");
        } else if (!type.equals("AWS")) {
          throw new MalformedPolicyException(
              where
                  + ": "
                  + name
                  + " type '"
                  + type
                  + "' is not supported (Coffre knows \"AWS\" and \"Service\")");
        }
      }
      aws = p.has("AWS") ? strings(p.get("AWS"), where, name + " AWS") : List.of();
    } else {
      throw new MalformedPolicyException(
          where
              + ": "
              + name
              + " must be \"*\" or {\"AWS\": ...}, got "
              + (p.isTextual() ? "'" + p.textValue() + "'" : describe(p)));
    }
    try {
      return PrincipalMatcher.compile(aws, !has);
    } catch (IllegalArgumentException e) {
      throw new MalformedPolicyException(where + ": " + name + " " + e.getMessage());
    }
  }

  private static boolean validAction(String a) {
    if (a.equals("*")) {
      return true;
    }
    // s3:..., Coffre's own actions (coffre:ExportAuditTrail), and the IAM and STS actions of a
    // tenant's self-administration (iam:CreateUser, sts:AssumeRole).
    int start =
        a.regionMatches(true, 0, "s3:", 0, 3)
                || a.regionMatches(true, 0, "iam:", 0, 4)
                || a.regionMatches(true, 0, "sts:", 0, 4)
            ? a.indexOf(':') + 1
            : a.regionMatches(true, 0, "coffre:", 0, 7) ? 7 : -1;
    if (start < 0 || a.length() <= start) {
      return false;
    }
    for (int i = start; i < a.length(); i++) {
      char c = a.charAt(i);
      if (!(c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '*'
          || c == '?')) {
        return false;
      }
    }
    return true;
  }

  private static void checkResource(String r, @Nullable String bucket, String where, String name)
      throws MalformedPolicyException {
    if (bucket == null
        && (r.startsWith(IAM_ARN) || r.startsWith(STS_ARN))
        && r.length() > IAM_ARN.length()) {
      return; // an identity policy's iam:/sts: resource (a user, role, group or policy ARN)
    }
    if (!r.equals("*") && !(r.startsWith(S3_ARN) && r.length() > S3_ARN.length())) {
      throw new MalformedPolicyException(
          where + ": " + name + " '" + r + "' is not \"*\" or an " + S3_ARN + " ARN");
    }
    if (bucket != null) {
      // Anything but the bucket's own ARN, or a path below it, could reach another bucket
      // ("arn:aws:s3:::b*" matches "arn:aws:s3:::b2"), so it is refused, as S3 does.
      String own = S3_ARN + bucket;
      if (!r.equals(own) && !r.startsWith(own + "/")) {
        throw new MalformedPolicyException(
            where
                + ": Policy has invalid resource: "
                + r
                + " (a policy on bucket '"
                + bucket
                + "' may only name "
                + own
                + " and "
                + own
                + "/...)");
      }
    }
  }

  /** The name of whichever of the two exclusive elements the statement has. */
  private static String exactlyOne(JsonNode node, String a, String notA, String where)
      throws MalformedPolicyException {
    boolean has = node.has(a);
    boolean hasNot = node.has(notA);
    if (has == hasNot) {
      throw new MalformedPolicyException(
          where
              + (has
                  ? ": has both " + a + " and " + notA + "; use one"
                  : ": needs " + a + " or " + notA));
    }
    return has ? a : notA;
  }

  /** A string, or a non-empty array of strings. */
  static List<String> strings(JsonNode node, String where, String name)
      throws MalformedPolicyException {
    if (node != null && node.isTextual()) {
      return List.of(node.textValue());
    }
    if (node != null && node.isArray() && !node.isEmpty()) {
      List<String> out = new ArrayList<>(node.size());
      for (JsonNode n : node) {
        if (!n.isTextual()) {
          break;
        }
        out.add(n.textValue());
      }
      if (out.size() == node.size()) {
        return out;
      }
    }
    throw new MalformedPolicyException(
        where + ": " + name + " must be a string or a non-empty array of strings");
  }

  private static @Nullable String optionalString(JsonNode node, String name, @Nullable String where)
      throws MalformedPolicyException {
    JsonNode v = node.get(name);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw new MalformedPolicyException(
          (where == null ? "" : where + ": ") + name + " must be a string, got " + describe(v));
    }
    return v.textValue();
  }

  private static void checkNames(
      JsonNode node, Set<String> allowed, @Nullable String where, String what)
      throws MalformedPolicyException {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String name = e.getKey();
      if (!allowed.contains(name)) {
        String hint = "";
        for (String a : allowed) {
          if (a.equalsIgnoreCase(name)) {
            hint = " (did you mean '" + a + "'? element names are case-sensitive)";
          }
        }
        throw new MalformedPolicyException(
            (where == null ? "" : where + ": ") + "unknown " + what + " '" + name + "'" + hint);
      }
    }
  }

  static String describe(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NUMBER -> "the number " + n.asText();
      case BOOLEAN -> "the boolean " + n.asText();
      case NULL -> "null";
      case STRING -> "'" + n.textValue() + "'";
      default -> n.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
