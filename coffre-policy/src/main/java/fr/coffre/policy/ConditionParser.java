package fr.coffre.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses a statement's Condition block, {@code {operator: {key: value | [values]}}}, into compiled
 * {@link Condition}s, checking each operand's syntax now (a bad CIDR, a non-number for Numeric*, a
 * bad date) so that evaluation never meets one.
 */
final class ConditionParser {
  private ConditionParser() {}

  static Condition[] parse(JsonNode node, String where, boolean variables)
      throws MalformedPolicyException {
    if (!node.isObject()) {
      throw new MalformedPolicyException(
          where
              + ": Condition must be an object of condition operators, got "
              + PolicyParser.describe(node));
    }
    List<Condition> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> block : node.properties()) {
      String name = block.getKey();
      ConditionOperator op;
      try {
        op = ConditionOperator.parse(name);
      } catch (IllegalArgumentException e) {
        throw new MalformedPolicyException(where + ": " + e.getMessage());
      }
      JsonNode keys = block.getValue();
      if (!keys.isObject() || keys.isEmpty()) {
        throw new MalformedPolicyException(
            where + ": " + name + " must be a non-empty object of condition keys");
      }
      for (Map.Entry<String, JsonNode> entry : keys.properties()) {
        String key = entry.getKey();
        if (!ConditionKey.valid(key)) {
          throw new MalformedPolicyException(
              where + ": " + name + ": condition key '" + key + "' is not an aws: or s3: key");
        }
        String meant = ConditionKey.misspelt(key);
        if (meant != null) {
          throw new MalformedPolicyException(
              where
                  + ": "
                  + name
                  + ": unknown condition key '"
                  + key
                  + "' (did you mean '"
                  + meant
                  + "'?)");
        }
        List<String> operands = operands(entry.getValue());
        if (operands == null) {
          throw new MalformedPolicyException(
              where
                  + ": "
                  + name
                  + " "
                  + key
                  + " must be a string, number or boolean, or a non-empty array of them");
        }
        try {
          out.add(build(op, key, operands, variables));
        } catch (IllegalArgumentException e) {
          throw new MalformedPolicyException(
              where + ": " + name + " " + key + ": " + e.getMessage());
        }
      }
    }
    return out.toArray(new Condition[0]);
  }

  private static Condition build(
      ConditionOperator op, String key, List<String> operands, boolean variables) {
    return switch (op.base().family) {
      case STRING -> new StringCondition(op, key, operands, variables);
      case NUMERIC -> new NumericCondition(op, key, operands);
      case DATE -> new DateCondition(op, key, operands);
      case BOOL -> new BoolCondition(op, key, operands);
      case IP -> new IpCondition(op, key, operands);
      case NULL -> new NullCondition(op, key, operands);
    };
  }

  /** Scalars as text (AWS compares numbers and booleans by their text), or null if not scalars. */
  private static @Nullable List<String> operands(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      if (node.isEmpty()) {
        return null;
      }
      for (JsonNode n : node) {
        if (!scalar(n)) {
          return null;
        }
        out.add(n.asText());
      }
      return out;
    }
    return scalar(node) ? List.of(node.asText()) : null;
  }

  private static boolean scalar(JsonNode n) {
    return n.isTextual() || n.isNumber() || n.isBoolean();
  }
}
