package fr.coffre.policy;

import java.util.List;

/** Null: {@code true} holds when the request lacks the key, {@code false} when it has it. */
final class NullCondition extends Condition {
  private final boolean[] expectAbsent;

  NullCondition(ConditionOperator op, String key, List<String> operands) {
    super(op, key);
    expectAbsent = new boolean[operands.size()];
    for (int i = 0; i < expectAbsent.length; i++) {
      expectAbsent[i] = BoolCondition.parse(operands.get(i));
    }
  }

  @Override
  boolean holds(RequestContext ctx) {
    boolean absent = ctx.values(lowerKey()) == null;
    for (boolean e : expectAbsent) {
      if (e == absent) {
        return true;
      }
    }
    return false;
  }

  @Override
  int match(String requestValue, RequestContext ctx) {
    throw new UnsupportedOperationException("Null tests presence, not values");
  }
}
