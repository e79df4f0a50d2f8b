package fr.coffre.policy;

import org.jspecify.annotations.Nullable;

/**
 * A number from a Numeric* condition: a long when it is an integer that fits (exact comparisons,
 * the usual case for s3:max-keys), a double otherwise.
 */
record Decimal(boolean integral, long whole, double value) {

  /**
   * Parses {@code -12}, {@code 3.5}, {@code 1e3}; null for anything else (no NaN, hex or suffixes).
   */
  static @Nullable Decimal parse(String s) {
    int n = s.length();
    int i = n > 0 && s.charAt(0) == '-' ? 1 : 0;
    int digits = i;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
    }
    if (i == digits) {
      return null;
    }
    boolean integral = true;
    if (i < n && s.charAt(i) == '.') {
      int frac = ++i;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == frac) {
        return null;
      }
      integral = false;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exp = i;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == exp) {
        return null;
      }
      integral = false;
    }
    if (i != n) {
      return null;
    }
    if (integral && n - digits <= 18) {
      long v = Long.parseLong(s);
      return new Decimal(true, v, v);
    }
    double d = Double.parseDouble(s);
    return Double.isFinite(d) ? new Decimal(false, 0, d) : null;
  }

  int compareTo(Decimal other) {
    if (integral && other.integral) {
      return Long.compare(whole, other.whole);
    }
    return Double.compare(value, other.value);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
