package fr.coffre.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A compiled policy string: an Action, Resource or condition value, with AWS's wildcards ({@code *}
 * any run of characters including '/', {@code ?} one character) when the element allows them, and
 * policy variables ({@code ${aws:username}}, {@code ${key, 'default'}}, {@code ${*}}...) when the
 * policy's Version allows them.
 *
 * <p>Compiled once at parse time into an array of operations (a char, or {@link #STAR} or {@link
 * #QMARK}) so that a literal '*' written {@code ${*}} stays distinct from a wildcard, and matching
 * needs no regex and no allocation. Common shapes take a fast path: "*", a plain literal, and
 * "literal*". Only a string with variables allocates, to splice in the request's values.
 */
final class Glob {
  /**
   * Results of {@link #match}: a variable the request cannot supply is neither a match nor a miss.
   */
  static final int NO_MATCH = 0;

  static final int MATCH = 1;
  static final int UNRESOLVED = -1;

  private static final int STAR = -1;
  private static final int QMARK = -2;

  private enum Shape {
    ANY,
    LITERAL,
    PREFIX,
    GENERAL,
    TEMPLATE
  }

  private final String source;
  private final boolean ignoreCase;
  private final Shape shape;
  // Each shape uses one of these; the others are empty.
  private static final int[] NO_OPS = {};
  private static final Object[] NO_PARTS = {};
  private final String literal; // LITERAL: the whole string; PREFIX: what precedes the '*'
  private final int[] ops; // GENERAL
  private final Object[] parts; // TEMPLATE: int[] runs of operations and Variable references

  private Glob(
      String source, boolean ignoreCase, Shape shape, String literal, int[] ops, Object[] parts) {
    this.source = source;
    this.ignoreCase = ignoreCase;
    this.shape = shape;
    this.literal = literal;
    this.ops = ops;
    this.parts = parts;
  }

  /** A reference to a request value, with the text to use when the request has none. */
  record Variable(String key, @Nullable String fallback) {}

  /**
   * Compiles {@code text}.
   *
   * @param wildcards whether '*' and '?' are wildcards (StringEquals values: no)
   * @param variables whether {@code ${...}} is a policy variable (Version 2012-10-17 only)
   * @throws IllegalArgumentException naming what is wrong with a variable
   */
  static Glob compile(String text, boolean wildcards, boolean variables, boolean ignoreCase) {
    List<Object> parts = new ArrayList<>();
    IntList run = new IntList(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (variables && c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        int close = closingBrace(text, i + 2);
        String inner = text.substring(i + 2, close).strip();
        if (inner.equals("*") || inner.equals("?") || inner.equals("$")) {
          run.add(inner.charAt(0)); // AWS's escapes for characters that would otherwise be special
        } else {
          if (run.size() > 0) {
            parts.add(run.toArray());
            run = new IntList(text.length());
          }
          parts.add(variable(inner, text));
        }
        i = close + 1;
      } else {
        run.add(wildcards && c == '*' ? STAR : wildcards && c == '?' ? QMARK : c);
        i++;
      }
    }
    if (!parts.isEmpty()) {
      if (run.size() > 0) {
        parts.add(run.toArray());
      }
      if (ignoreCase) {
        for (int p = 0; p < parts.size(); p++) {
          if (parts.get(p) instanceof int[] r) {
            lowerCase(r);
          }
        }
      }
      return new Glob(text, ignoreCase, Shape.TEMPLATE, "", NO_OPS, parts.toArray());
    }
    return ofOps(text, run.toArray(), ignoreCase);
  }

  private static Glob ofOps(String source, int[] ops, boolean ignoreCase) {
    if (ops.length == 1 && ops[0] == STAR) {
      return new Glob(source, ignoreCase, Shape.ANY, "", NO_OPS, NO_PARTS);
    }
    int wild = 0;
    int firstWild = -1;
    for (int k = 0; k < ops.length; k++) {
      if (ops[k] < 0) {
        wild++;
        firstWild = firstWild < 0 ? k : firstWild;
      }
    }
    if (wild == 0) {
      return new Glob(
          source, ignoreCase, Shape.LITERAL, text(ops, 0, ops.length), NO_OPS, NO_PARTS);
    }
    if (wild == 1 && firstWild == ops.length - 1 && ops[firstWild] == STAR) {
      return new Glob(
          source, ignoreCase, Shape.PREFIX, text(ops, 0, ops.length - 1), NO_OPS, NO_PARTS);
    }
    if (ignoreCase) {
      lowerCase(ops);
    }
    return new Glob(source, ignoreCase, Shape.GENERAL, "", ops, NO_PARTS);
  }

  /** Matches without variables (Actions); a template here would be a programming error. */
  boolean matches(String s) {
    return match(s, null) == MATCH;
  }

  /** Matches {@code s}, taking variable values from {@code vars}: MATCH, NO_MATCH or UNRESOLVED. */
  int match(String s, @Nullable RequestContext vars) {
    boolean ok =
        switch (shape) {
          case ANY -> true;
          case LITERAL -> ignoreCase ? literal.equalsIgnoreCase(s) : literal.equals(s);
          case PREFIX -> s.regionMatches(ignoreCase, 0, literal, 0, literal.length());
          case GENERAL -> general(ops, s, ignoreCase);
          case TEMPLATE -> {
            int[] resolved = resolve(vars);
            if (resolved == null) {
              yield false;
            }
            yield general(resolved, s, ignoreCase);
          }
        };
    if (ok) {
      return MATCH;
    }
    return shape == Shape.TEMPLATE && !resolvable(vars) ? UNRESOLVED : NO_MATCH;
  }

  private boolean resolvable(@Nullable RequestContext vars) {
    for (Object part : parts) {
      if (part instanceof Variable v
          && v.fallback() == null
          && (vars == null || vars.variable(v.key()) == null)) {
        return false;
      }
    }
    return true;
  }

  private int @Nullable [] resolve(@Nullable RequestContext vars) {
    int length = 0;
    String[] values = new String[parts.length];
    for (int p = 0; p < parts.length; p++) {
      if (parts[p] instanceof Variable v) {
        String value = vars == null ? null : vars.variable(v.key());
        value = value != null ? value : v.fallback();
        if (value == null) {
          return null;
        }
        values[p] = value;
        length += value.length();
      } else {
        length += ((int[]) parts[p]).length;
      }
    }
    int[] out = new int[length];
    int at = 0;
    for (int p = 0; p < parts.length; p++) {
      if (values[p] != null) {
        // A substituted value is literal text: a '*' in a user name is not a wildcard.
        for (int k = 0; k < values[p].length(); k++) {
          char c = values[p].charAt(k);
          out[at++] = ignoreCase ? Character.toLowerCase(c) : c;
        }
      } else {
        int[] run = (int[]) parts[p];
        System.arraycopy(run, 0, out, at, run.length);
        at += run.length;
      }
    }
    return out;
  }

  /**
   * Glob matching with backtracking to the last '*' only: linear for the usual patterns, at worst
   * O(pattern x input), never exponential.
   */
  private static boolean general(int[] ops, String s, boolean ignoreCase) {
    int p = 0;
    int i = 0;
    int starP = -1;
    int starI = 0;
    int n = s.length();
    while (i < n) {
      if (p < ops.length && ops[p] != STAR) {
        char c = s.charAt(i);
        int op = ops[p];
        if (op == QMARK || op == c || (ignoreCase && op == Character.toLowerCase(c))) {
          p++;
          i++;
          continue;
        }
      } else if (p < ops.length) {
        starP = p++;
        starI = i;
        continue;
      }
      if (starP < 0) {
        return false;
      }
      p = starP + 1;
      i = ++starI;
    }
    while (p < ops.length && ops[p] == STAR) {
      p++;
    }
    return p == ops.length;
  }

  private static int closingBrace(String text, int from) {
    boolean quoted = false;
    for (int k = from; k < text.length(); k++) {
      char c = text.charAt(k);
      if (c == '\'') {
        quoted = !quoted; // '' inside quotes toggles twice: an escaped quote
      } else if (c == '}' && !quoted) {
        return k;
      }
    }
    throw new IllegalArgumentException("'" + text + "' has a ${ without its closing }");
  }

  private static Variable variable(String inner, String text) {
    String key = inner;
    String fallback = null;
    int comma = inner.indexOf(',');
    if (comma >= 0) {
      key = inner.substring(0, comma).strip();
      String quoted = inner.substring(comma + 1).strip();
      if (quoted.length() < 2
          || quoted.charAt(0) != '\''
          || quoted.charAt(quoted.length() - 1) != '\'') {
        throw new IllegalArgumentException(
            "'" + text + "': the default value of ${" + key + "} must be in single quotes");
      }
      fallback = quoted.substring(1, quoted.length() - 1).replace("''", "'");
    }
    if (!ConditionKey.valid(key)) {
      throw new IllegalArgumentException(
          "'" + text + "': policy variable ${" + key + "} is not an aws: or s3: key");
    }
    return new Variable(key.toLowerCase(Locale.ROOT), fallback);
  }

  private static String text(int[] ops, int from, int to) {
    StringBuilder b = new StringBuilder(to - from);
    for (int k = from; k < to; k++) {
      b.append((char) ops[k]);
    }
    return b.toString();
  }

  private static void lowerCase(int[] ops) {
    for (int k = 0; k < ops.length; k++) {
      if (ops[k] >= 0) {
        ops[k] = Character.toLowerCase((char) ops[k]);
      }
    }
  }

  @Override
  public String toString() {
    return source;
  }

  /** A growable int array, for compiling. */
  private static final class IntList {
    private int[] a;
    private int n;

    IntList(int capacity) {
      a = new int[Math.max(4, capacity)];
    }

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int size() {
      return n;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
