package fr.coffre.policy;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed condition operator name: the base operator, an optional set qualifier ({@code
 * ForAnyValue:}, {@code ForAllValues:}) and an optional {@code IfExists} suffix.
 */
record ConditionOperator(String name, Base base, Qualifier qualifier, boolean ifExists) {

  enum Family {
    STRING,
    NUMERIC,
    DATE,
    BOOL,
    IP,
    NULL
  }

  enum Comparison {
    EQ,
    LT,
    LE,
    GT,
    GE
  }

  enum Qualifier {
    NONE,
    FOR_ANY_VALUE,
    FOR_ALL_VALUES
  }

  /**
   * The operators AWS documents, with their spelling; "negated" ones hold when no value matches.
   */
  enum Base {
    STRING_EQUALS("StringEquals", Family.STRING, Comparison.EQ, false),
    STRING_NOT_EQUALS("StringNotEquals", Family.STRING, Comparison.EQ, true),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Family.STRING, Comparison.EQ, false),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Family.STRING, Comparison.EQ, true),
    STRING_LIKE("StringLike", Family.STRING, Comparison.EQ, false),
    STRING_NOT_LIKE("StringNotLike", Family.STRING, Comparison.EQ, true),
    // The ARN operators compare as StringLike does (AWS: ArnEquals and ArnLike behave alike).
    ARN_EQUALS("ArnEquals", Family.STRING, Comparison.EQ, false),
    ARN_LIKE("ArnLike", Family.STRING, Comparison.EQ, false),
    ARN_NOT_EQUALS("ArnNotEquals", Family.STRING, Comparison.EQ, true),
    ARN_NOT_LIKE("ArnNotLike", Family.STRING, Comparison.EQ, true),
    NUMERIC_EQUALS("NumericEquals", Family.NUMERIC, Comparison.EQ, false),
    NUMERIC_NOT_EQUALS("NumericNotEquals", Family.NUMERIC, Comparison.EQ, true),
    NUMERIC_LESS_THAN("NumericLessThan", Family.NUMERIC, Comparison.LT, false),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Family.NUMERIC, Comparison.LE, false),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Family.NUMERIC, Comparison.GT, false),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Family.NUMERIC, Comparison.GE, false),
    DATE_EQUALS("DateEquals", Family.DATE, Comparison.EQ, false),
    DATE_NOT_EQUALS("DateNotEquals", Family.DATE, Comparison.EQ, true),
    DATE_LESS_THAN("DateLessThan", Family.DATE, Comparison.LT, false),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", Family.DATE, Comparison.LE, false),
    DATE_GREATER_THAN("DateGreaterThan", Family.DATE, Comparison.GT, false),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Family.DATE, Comparison.GE, false),
    BOOL("Bool", Family.BOOL, Comparison.EQ, false),
    IP_ADDRESS("IpAddress", Family.IP, Comparison.EQ, false),
    NOT_IP_ADDRESS("NotIpAddress", Family.IP, Comparison.EQ, true),
    NULL("Null", Family.NULL, Comparison.EQ, false);

    final String awsName;
    final Family family;
    final Comparison comparison;
    final boolean negated;

    Base(String awsName, Family family, Comparison comparison, boolean negated) {
      this.awsName = awsName;
      this.family = family;
      this.comparison = comparison;
      this.negated = negated;
    }

    boolean ignoreCase() {
      return this == STRING_EQUALS_IGNORE_CASE || this == STRING_NOT_EQUALS_IGNORE_CASE;
    }

    boolean like() {
      return this == STRING_LIKE
          || this == STRING_NOT_LIKE
          || this == ARN_EQUALS
          || this == ARN_LIKE
          || this == ARN_NOT_EQUALS
          || this == ARN_NOT_LIKE;
    }
  }

  private static final Map<String, Base> BY_NAME = new HashMap<>();
  private static final String FOR_ANY = "ForAnyValue:";
  private static final String FOR_ALL = "ForAllValues:";
  private static final String IF_EXISTS = "IfExists";

  static {
    for (Base b : Base.values()) {
      BY_NAME.put(b.awsName, b);
    }
  }

  /** Parses an operator name, exactly as AWS spells it. */
  static ConditionOperator parse(String name) {
    Qualifier qualifier = Qualifier.NONE;
    String rest = name;
    if (rest.startsWith(FOR_ANY)) {
      qualifier = Qualifier.FOR_ANY_VALUE;
      rest = rest.substring(FOR_ANY.length());
    } else if (rest.startsWith(FOR_ALL)) {
      qualifier = Qualifier.FOR_ALL_VALUES;
      rest = rest.substring(FOR_ALL.length());
    }
    boolean ifExists = false;
    Base base = BY_NAME.get(rest);
    if (base == null && rest.endsWith(IF_EXISTS)) {
      base = BY_NAME.get(rest.substring(0, rest.length() - IF_EXISTS.length()));
      ifExists = base != null;
    }
    if (base == null) {
      throw new IllegalArgumentException(
          "unknown condition operator '" + name + "'" + suggestion(name));
    }
    if (base == Base.NULL && (ifExists || qualifier != Qualifier.NONE)) {
      throw new IllegalArgumentException(
          "condition operator '"
              + name
              + "': Null takes neither IfExists nor ForAnyValue/ForAllValues");
    }
    return new ConditionOperator(name, base, qualifier, ifExists);
  }

  boolean negated() {
    return base.negated;
  }

  /**
   * The result when the request lacks the key (IAM condition operator rules): IfExists and
   * ForAllValues hold, ForAnyValue does not, a negated operator holds, a positive one does not.
   */
  boolean whenAbsent() {
    if (ifExists) {
      return true;
    }
    return switch (qualifier) {
      case FOR_ALL_VALUES -> true;
      case FOR_ANY_VALUE -> false;
      case NONE -> base.negated;
    };
  }

  private static String suggestion(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String prefix : new String[] {"", FOR_ANY, FOR_ALL}) {
      for (Base b : Base.values()) {
        for (String suffix : new String[] {"", IF_EXISTS}) {
          String candidate = prefix + b.awsName + suffix;
          if (candidate.toLowerCase(Locale.ROOT).equals(lower)) {
            return " (did you mean '" + candidate + "'?)";
          }
        }
      }
    }
    return "";
  }
}
