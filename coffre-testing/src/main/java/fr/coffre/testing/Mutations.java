package fr.coffre.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random inputs and random damage to valid ones, for fuzz properties: a valid document with a few
 * edits reaches far deeper into a parser than random bytes, which most parsers refuse at once.
 * Every result is bounded by the {@code maxLength} given, so no input is itself unbounded.
 */
public final class Mutations {
  /** Bytes that mean something to one format or another: delimiters, line ends, escapes, NUL. */
  private static final byte[] INTERESTING_BYTES = {
    0,
    (byte) 0xff,
    (byte) 0xfe,
    0x7f,
    (byte) 0x80,
    (byte) 0xc3,
    '\r',
    '\n',
    ' ',
    '\t',
    '<',
    '>',
    '&',
    '"',
    '\'',
    '/',
    '\\',
    '{',
    '}',
    '[',
    ']',
    ':',
    ',',
    ';',
    '=',
    '%',
    '0',
    '1',
    '9',
    'f',
    'F',
    '-',
    '+',
    '.',
    '$',
    '*',
    '?',
    '#',
    '!'
  };

  /** Numbers at the edges of int, long, double and of what a length may be. */
  private static final List<String> INTERESTING_NUMBERS =
      List.of(
          "0",
          "-0",
          "-1",
          "1",
          "00",
          "127",
          "128",
          "255",
          "256",
          "65535",
          "65536",
          "2147483647",
          "2147483648",
          "-2147483649",
          "4294967295",
          "4294967296",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775809",
          "99999999999999999999",
          "1e308",
          "1e309",
          "-1e309",
          "1.5",
          "1e-400",
          "NaN",
          "Infinity",
          "0x10",
          "ffffffff",
          "7fffffffffffffff",
          "ffffffffffffffff",
          "10000000000000000",
          "140000000",
          "00000000000000000000000000000001");

  /**
   * Characters that pass for ASCII to some Java methods: digits {@code Character.digit} and {@code
   * Long.parseLong} take (Arabic-Indic, Devanagari, fullwidth), fullwidth letters it takes for hex,
   * and letters whose case mapping is ASCII (KELVIN SIGN lower-cases to 'k', dotless i and long s
   * upper-case to 'I' and 'S').
   */
  private static final String LOOKALIKES =
      "\u0660\u0663\u0669\u0967\uff10\uff11\uff19\uff21\uff26\uff41\uff46\u212a\u0131\u017f";

  private Mutations() {}

  /** A length from 0 to {@code max}, small ones far more likely (most bugs need few bytes). */
  public static int length(Random r, int max) {
    if (max <= 0) {
      return 0;
    }
    return switch (r.nextInt(4)) {
      case 0 -> r.nextInt(Math.min(max, 16) + 1);
      case 1 -> r.nextInt(Math.min(max, 256) + 1);
      case 2 -> r.nextInt(r.nextInt(max + 1) + 1);
      default -> r.nextInt(max + 1);
    };
  }

  /** Random bytes, of any value or (one time in two) drawn from the interesting ones. */
  public static byte[] randomBytes(Random r, int maxLength) {
    byte[] b = new byte[length(r, maxLength)];
    boolean interesting = r.nextBoolean();
    for (int i = 0; i < b.length; i++) {
      b[i] = interesting && r.nextInt(3) > 0 ? pick(r, INTERESTING_BYTES) : (byte) r.nextInt(256);
    }
    return b;
  }

  /** A random string of characters from {@code alphabet}. */
  public static String randomString(Random r, int maxLength, String alphabet) {
    int n = length(r, maxLength);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** One of {@code choices}. */
  public static <E> E pick(Random r, List<E> choices) {
    return choices.get(r.nextInt(choices.size()));
  }

  private static byte pick(Random r, byte[] choices) {
    return choices[r.nextInt(choices.length)];
  }

  /** A number at an edge (of int, long, double...), as text. */
  public static String interestingNumber(Random r) {
    return pick(r, INTERESTING_NUMBERS);
  }

  /**
   * One to a few random edits of {@code input}: bytes replaced, flipped, inserted, deleted,
   * duplicated, repeated or moved; a cut; tokens of {@code dictionary} (the format's own words:
   * tags, keys, delimiters) or edge numbers inserted or put in place of a range.
   *
   * @param maxLength the longest result: longer ones are cut
   */
  public static byte[] mutate(Random r, byte[] input, int maxLength, List<String> dictionary) {
    byte[] b = input;
    int edits = 1 + (r.nextInt(4) == 0 ? r.nextInt(8) : r.nextInt(3));
    for (int e = 0; e < edits; e++) {
      b = edit(r, b, dictionary);
      if (b.length > maxLength) {
        b = Arrays.copyOf(b, maxLength);
      }
    }
    return b;
  }

  /**
   * {@link #mutate(Random, byte[], int, List)} on the UTF-8 of a string (bad UTF-8 becomes U+FFFD).
   */
  public static String mutate(Random r, String input, int maxLength, List<String> dictionary) {
    return new String(
        mutate(r, input.getBytes(StandardCharsets.UTF_8), maxLength, dictionary),
        StandardCharsets.UTF_8);
  }

  private static byte[] edit(Random r, byte[] b, List<String> dictionary) {
    int n = b.length;
    int op = r.nextInt(14);
    if (n == 0 && (op < 11 || op == 13)) {
      op = 11; // nothing to edit in place: insert
    }
    return switch (op) {
      case 0 -> replace(b, r.nextInt(n), (byte) r.nextInt(256));
      case 1, 2 -> replace(b, r.nextInt(n), pick(r, INTERESTING_BYTES));
      case 3 -> replace(b, r.nextInt(n), (byte) (b[r.nextInt(n)] ^ (1 << r.nextInt(8))));
      case 4 -> {
        int from = r.nextInt(n);
        yield splice(b, from, Math.min(n, from + 1 + r.nextInt(16)), new byte[0]);
      }
      case 5 -> {
        // duplicate a range right after itself
        int from = r.nextInt(n);
        int to = Math.min(n, from + 1 + r.nextInt(32));
        yield splice(b, to, to, Arrays.copyOfRange(b, from, to));
      }
      case 6 -> {
        // repeat a range many times: nesting and expansion
        int from = r.nextInt(n);
        int to = Math.min(n, from + 1 + r.nextInt(24));
        int times = 2 + r.nextInt(r.nextBoolean() ? 8 : 200);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k = 0; k < times; k++) {
          out.write(b, from, to - from);
        }
        yield splice(b, to, to, out.toByteArray());
      }
      case 7 -> Arrays.copyOf(b, r.nextInt(n)); // cut
      case 8 -> {
        // move a range elsewhere
        int from = r.nextInt(n);
        int to = Math.min(n, from + 1 + r.nextInt(32));
        byte[] range = Arrays.copyOfRange(b, from, to);
        byte[] rest = splice(b, from, to, new byte[0]);
        int at = r.nextInt(rest.length + 1);
        yield splice(rest, at, at, range);
      }
      case 9, 10 -> {
        // a token in place of a range
        int from = r.nextInt(n);
        int to = Math.min(n, from + r.nextInt(8));
        yield splice(b, from, to, token(r, dictionary));
      }
      case 11 -> {
        int at = r.nextInt(n + 1);
        yield splice(b, at, at, r.nextBoolean() ? token(r, dictionary) : randomBytes(r, 8));
      }
      case 13 -> {
        // a look-alike in place of an ASCII letter or digit (or anywhere)
        int at = r.nextInt(n);
        for (int k = 0; k < n && !(b[at] >= 0 && Character.isLetterOrDigit(b[at])); k++) {
          at = (at + 1) % n;
        }
        String c = String.valueOf(LOOKALIKES.charAt(r.nextInt(LOOKALIKES.length())));
        yield splice(b, at, at + 1, c.getBytes(StandardCharsets.UTF_8));
      }
      default -> {
        // an edge number in place of a run of digits (or anywhere)
        int at = r.nextInt(n + 1);
        int end = at;
        while (end < n && b[end] >= '0' && b[end] <= '9') {
          end++;
        }
        yield splice(b, at, end, interestingNumber(r).getBytes(StandardCharsets.US_ASCII));
      }
    };
  }

  private static byte[] token(Random r, List<String> dictionary) {
    String t =
        dictionary.isEmpty() || r.nextInt(4) == 0 ? interestingNumber(r) : pick(r, dictionary);
    return t.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] replace(byte[] b, int at, byte value) {
    byte[] c = b.clone();
    c[at] = value;
    return c;
  }

  /** {@code b} with {@code [from, to)} replaced by {@code with}. */
  public static byte[] splice(byte[] b, int from, int to, byte[] with) {
    byte[] c = new byte[b.length - (to - from) + with.length];
    System.arraycopy(b, 0, c, 0, from);
    System.arraycopy(with, 0, c, from, with.length);
    System.arraycopy(b, to, c, from + with.length, b.length - to);
    return c;
  }
}
