package fr.coffre.policy;

import java.util.List;

/**
 * String* conditions: exact, case-insensitive, or wildcard (Like) matching, with policy variables.
 */
final class StringCondition extends Condition {
  private final Glob[] values;

  StringCondition(ConditionOperator op, String key, List<String> operands, boolean variables) {
    super(op, key);
    values = new Glob[operands.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] =
          Glob.compile(operands.get(i), op.base().like(), variables, op.base().ignoreCase());
    }
  }

  @Override
  int match(String requestValue, RequestContext ctx) {
    int result = Glob.NO_MATCH;
    for (Glob g : values) {
      int m = g.match(requestValue, ctx);
      if (m == Glob.MATCH) {
        return m;
      }
      result = m == Glob.UNRESOLVED ? m : result;
    }
    return result;
  }
}
