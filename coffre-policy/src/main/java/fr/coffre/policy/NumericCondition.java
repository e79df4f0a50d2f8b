package fr.coffre.policy;

import java.util.List;

/** Numeric* conditions; the request's value is compared with each policy value in turn. */
final class NumericCondition extends Condition {
  private final Decimal[] values;

  NumericCondition(ConditionOperator op, String key, List<String> operands) {
    super(op, key);
    values = new Decimal[operands.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Decimal.parse(operands.get(i));
      if (values[i] == null) {
        throw new IllegalArgumentException("'" + operands.get(i) + "' is not a number");
      }
    }
  }

  @Override
  int match(String requestValue, RequestContext ctx) {
    Decimal v = Decimal.parse(requestValue);
    if (v == null) {
      return Glob.NO_MATCH;
    }
    for (Decimal p : values) {
      if (Comparisons.test(operator().base().comparison, v.compareTo(p))) {
        return Glob.MATCH;
      }
    }
    return Glob.NO_MATCH;
  }
}
