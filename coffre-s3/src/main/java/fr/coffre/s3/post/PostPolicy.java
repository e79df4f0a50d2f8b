package fr.coffre.s3.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The policy document of a browser POST upload (base64 JSON): an expiration and conditions that
 * every form field must satisfy. Every field but the signature ones must be named by a condition,
 * so that a signed form cannot be extended by whoever holds it.
 */
public final class PostPolicy {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> EXEMPT =
      Set.of(
          "policy",
          "x-amz-signature",
          "signature",
          "awsaccesskeyid",
          "file",
          "x-amz-security-token");

  /** One condition: {@code eq} or {@code starts-with} on a field. */
  record Condition(String op, String field, String value) {}

  private final Instant expiration;
  private final List<Condition> conditions;
  private final long minLength;
  private final long maxLength;

  private PostPolicy(
      Instant expiration, List<Condition> conditions, long minLength, long maxLength) {
    this.expiration = expiration;
    this.conditions = List.copyOf(conditions);
    this.minLength = minLength;
    this.maxLength = maxLength;
  }

  /** Decodes the {@code policy} field; InvalidPolicyDocument when it is not a policy. */
  public static PostPolicy parse(String base64) {
    JsonNode root;
    try {
      root = JSON.readTree(Base64.getMimeDecoder().decode(base64));
    } catch (IllegalArgumentException | IOException e) {
      throw invalid("Invalid Policy: Invalid JSON.");
    }
    if (root == null || !root.isObject()) {
      throw invalid("Invalid Policy: Invalid JSON.");
    }
    JsonNode exp = root.get("expiration");
    if (exp == null || !exp.isTextual()) {
      throw invalid("Invalid Policy: Policy missing expiration.");
    }
    Instant expiration;
    try {
      expiration = Instant.parse(exp.asText());
    } catch (DateTimeParseException e) {
      throw invalid("Invalid Policy: Invalid 'expiration' value: '" + exp.asText() + "'");
    }
    JsonNode conds = root.get("conditions");
    if (conds == null || !conds.isArray()) {
      throw invalid("Invalid Policy: Policy missing conditions.");
    }
    List<Condition> conditions = new ArrayList<>();
    long min = 0;
    long max = Long.MAX_VALUE;
    for (JsonNode c : conds) {
      if (c.isObject() && c.size() == 1) {
        var e = c.properties().iterator().next();
        conditions.add(
            new Condition("eq", e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
      } else if (c.isArray() && c.size() == 3) {
        String op = c.get(0).asText().toLowerCase(Locale.ROOT);
        if (op.equals("content-length-range")) {
          if (!c.get(1).canConvertToLong() || !c.get(2).canConvertToLong()) {
            throw invalid("Invalid Policy: Invalid content-length-range.");
          }
          min = c.get(1).asLong();
          max = c.get(2).asLong();
          continue;
        }
        String field = c.get(1).asText();
        if (!(op.equals("eq") || op.equals("starts-with")) || !field.startsWith("$")) {
          throw invalid("Invalid Policy: Invalid condition: " + c);
        }
        conditions.add(
            new Condition(op, field.substring(1).toLowerCase(Locale.ROOT), c.get(2).asText()));
      } else {
        throw invalid("Invalid Policy: Invalid condition: " + c);
      }
    }
    return new PostPolicy(expiration, conditions, min, max);
  }

  /** Checks the form against the policy; AccessDenied with S3's reason when it does not hold. */
  public void check(Map<String, String> fields, String bucket, Instant now) {
    if (!now.isBefore(expiration)) {
      throw denied("Invalid according to Policy: Policy expired.");
    }
    Set<String> covered = new HashSet<>();
    for (Condition c : conditions) {
      covered.add(c.field());
      String actual = c.field().equals("bucket") ? bucket : fields.get(c.field());
      boolean ok =
          switch (c.op()) {
            case "eq" -> c.value().equals(actual == null ? "" : actual);
            default -> (actual == null ? "" : actual).startsWith(c.value());
          };
      if (!ok) {
        throw denied(
            "Invalid according to Policy: Policy Condition failed: [\""
                + c.op()
                + "\", \"$"
                + c.field()
                + "\", \""
                + c.value()
                + "\"]");
      }
    }
    for (String name : fields.keySet()) {
      String n = name.toLowerCase(Locale.ROOT);
      // Checksum fields need no condition: they can only make the upload stricter.
      if (!EXEMPT.contains(n)
          && !n.startsWith("x-ignore-")
          && !n.startsWith("x-amz-checksum-")
          && !covered.contains(n)) {
        throw denied("Invalid according to Policy: Extra input fields: " + name);
      }
    }
  }

  public long minLength() {
    return minLength;
  }

  public long maxLength() {
    return maxLength;
  }

  private static S3Exception invalid(String message) {
    return new S3Exception(S3Error.INVALID_POLICY_DOCUMENT, message);
  }

  private static S3Exception denied(String message) {
    return new S3Exception(S3Error.ACCESS_DENIED, message);
  }
}
