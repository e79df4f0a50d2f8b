package fr.coffre.policy;

import java.util.List;

/** Date* conditions, compared in epoch milliseconds (see {@link Dates} for the accepted forms). */
final class DateCondition extends Condition {
  private final long[] values;

  DateCondition(ConditionOperator op, String key, List<String> operands) {
    super(op, key);
    values = new long[operands.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Dates.parse(operands.get(i));
      if (values[i] == Long.MIN_VALUE) {
        throw new IllegalArgumentException(
            "'"
                + operands.get(i)
                + "' is not a date (ISO-8601 such as 2025-01-31T12:00:00Z, or epoch seconds)");
      }
    }
  }

  @Override
  int match(String requestValue, RequestContext ctx) {
    long v = Dates.parse(requestValue);
    if (v == Long.MIN_VALUE) {
      return Glob.NO_MATCH;
    }
    for (long p : values) {
      if (Comparisons.test(operator().base().comparison, Long.compare(v, p))) {
        return Glob.MATCH;
      }
    }
    return Glob.NO_MATCH;
  }
}
