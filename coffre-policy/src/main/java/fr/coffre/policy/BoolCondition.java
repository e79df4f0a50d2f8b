package fr.coffre.policy;

import java.util.List;

/** Bool conditions such as {@code aws:SecureTransport}: "true" or "false", in any case. */
final class BoolCondition extends Condition {
  private final boolean[] values;

  BoolCondition(ConditionOperator op, String key, List<String> operands) {
    super(op, key);
    values = new boolean[operands.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = parse(operands.get(i));
    }
  }

  static boolean parse(String s) {
    if (s.equalsIgnoreCase("true")) {
      return true;
    }
    if (s.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("'" + s + "' is not true or false");
  }

  @Override
  int match(String requestValue, RequestContext ctx) {
    boolean t = requestValue.equalsIgnoreCase("true");
    if (!t && !requestValue.equalsIgnoreCase("false")) {
      return Glob.NO_MATCH;
    }
    for (boolean p : values) {
      if (p == t) {
        return Glob.MATCH;
      }
    }
    return Glob.NO_MATCH;
  }
}
