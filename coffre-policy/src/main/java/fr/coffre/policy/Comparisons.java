package fr.coffre.policy;

/** Applies a Numeric* or Date* comparison to the sign of {@code request.compareTo(policy)}. */
final class Comparisons {
  private Comparisons() {}

  static boolean test(ConditionOperator.Comparison comparison, int sign) {
    return switch (comparison) {
      case EQ -> sign == 0;
      case LT -> sign < 0;
      case LE -> sign <= 0;
      case GT -> sign > 0;
      case GE -> sign >= 0;
    };
  }
}
