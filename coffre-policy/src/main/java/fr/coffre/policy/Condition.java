package fr.coffre.policy;

import java.util.List;
import java.util.Locale;

/**
 * One condition key under one operator, with its policy values compiled at parse time. Subclasses
 * say whether one request value matches any policy value ({@link #match}); this class applies AWS's
 * rules around that: a missing key, negation, and the set qualifiers.
 *
 * <p>Values of one key are ORed: a positive operator holds when some request value matches some
 * policy value; a negated one when none does (NOR). With ForAnyValue the (possibly negated) test
 * must hold for at least one request value, with ForAllValues for every one. A policy value whose
 * variable the request cannot supply matches nothing, and makes a negated test fail rather than
 * pass: an unresolvable variable never widens what a statement applies to.
 */
abstract class Condition {
  private final ConditionOperator op;
  private final String key;
  private final String lowerKey;

  Condition(ConditionOperator op, String key) {
    this.op = op;
    this.key = key;
    this.lowerKey = key.toLowerCase(Locale.ROOT);
  }

  /** The condition key, as the policy wrote it. */
  String key() {
    return key;
  }

  /** Whether {@code requestValue} matches any policy value: Glob.MATCH, NO_MATCH or UNRESOLVED. */
  abstract int match(String requestValue, RequestContext ctx);

  boolean holds(RequestContext ctx) {
    List<String> values = ctx.values(lowerKey);
    if (values == null) {
      return op.whenAbsent();
    }
    boolean negated = op.negated();
    switch (op.qualifier()) {
      case FOR_ANY_VALUE -> {
        for (int i = 0; i < values.size(); i++) {
          if (holdsFor(match(values.get(i), ctx), negated)) {
            return true;
          }
        }
        return false;
      }
      case FOR_ALL_VALUES -> {
        for (int i = 0; i < values.size(); i++) {
          if (!holdsFor(match(values.get(i), ctx), negated)) {
            return false;
          }
        }
        return true;
      }
      default -> {
        // No qualifier: the key is usually single-valued; if not, positive = any value matches,
        // negated = no value matches.
        boolean unresolved = false;
        for (int i = 0; i < values.size(); i++) {
          int m = match(values.get(i), ctx);
          if (m == Glob.MATCH) {
            return !negated;
          }
          unresolved |= m == Glob.UNRESOLVED;
        }
        return negated && !unresolved;
      }
    }
  }

  private static boolean holdsFor(int match, boolean negated) {
    return negated ? match == Glob.NO_MATCH : match == Glob.MATCH;
  }

  ConditionOperator operator() {
    return op;
  }

  String lowerKey() {
    return lowerKey;
  }

  @Override
  public String toString() {
    return op.name() + " " + key;
  }
}
