package fr.coffre.testing;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs a fuzz property: many tries, each on an input drawn from its own seeded {@link Random}, so
 * that a failure names its seed and try and reproduces exactly.
 *
 * <p>Each try runs on a worker thread, which is what lets the runner catch what a parser must never
 * do whatever its input: hang (a per-try time limit), allocate without bound (the bytes the try
 * allocated are measured, and capped), or throw anything the property did not expect, a {@code
 * StackOverflowError} or {@code OutOfMemoryError} included. The property itself catches the errors
 * it expects (a 4xx {@code S3Exception}, a {@code MalformedPolicyException}...) and returns a label
 * for what happened ("ok", the error code...); the labels are counted, so that a test can also
 * check that its inputs reach both sides of the parser and not only its first refusal.
 *
 * <p>The normal build runs the tries each test asks for (a few seconds per test). A long run sets
 * {@code -Dfuzz.tries=N} (N tries for every property) and {@code -Dfuzz.seed=random} (or a number)
 * to explore beyond the fixed seeds: see the "Fuzzing" section of docs/security.md.
 *
 * @param <T> the input type
 */
public final class Fuzz<T> {
  /** Overrides every property's number of tries. */
  public static final String TRIES_PROPERTY = "fuzz.tries";

  /** Overrides every property's seed: a number, or "random". */
  public static final String SEED_PROPERTY = "fuzz.seed";

  /** When true, each property prints its outcome counts and time to stderr (for long runs). */
  public static final String VERBOSE_PROPERTY = "fuzz.verbose";

  private static final int MAX_SHOWN = 64 * 1024;

  private final String name;
  private final Function<Random, T> generator;
  private int tries = 100;
  private long seed = 20261205L;
  private Duration timeout = Duration.ofSeconds(10);
  private long maxAllocatedBytes = 64L << 20;
  private Function<? super T, String> show = Fuzz::describe;

  private Fuzz(String name, Function<Random, T> generator) {
    this.name = Objects.requireNonNull(name, "name");
    this.generator = Objects.requireNonNull(generator, "generator");
  }

  /** The outcome of one try: a label for what the parser did, or a failed assertion. */
  @FunctionalInterface
  public interface Property<T> {
    String test(T input) throws Exception;
  }

  /** How many tries ended with each label. */
  public record Outcomes(int tries, Map<String, Integer> counts) {
    public Outcomes {
      counts = Map.copyOf(counts);
    }

    public int count(String label) {
      return counts.getOrDefault(label, 0);
    }

    /** The tries whose label is not {@code label}. */
    public int countOther(String label) {
      return tries - count(label);
    }
  }

  /**
   * A property named {@code name} (in failure messages and the worker thread's name) over the
   * inputs {@code generator} draws.
   */
  public static <T> Fuzz<T> of(String name, Function<Random, T> generator) {
    return new Fuzz<>(name, generator);
  }

  /** How many tries the normal build runs; {@code -Dfuzz.tries} overrides it. */
  public Fuzz<T> tries(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("tries must be at least 1, got " + n);
    }
    this.tries = n;
    return this;
  }

  /** The fixed seed of the normal build; {@code -Dfuzz.seed} overrides it. */
  public Fuzz<T> seed(long s) {
    this.seed = s;
    return this;
  }

  /** How long one try may take before it counts as a hang; 10 s unless set. */
  public Fuzz<T> timeout(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + d);
    }
    this.timeout = d;
    return this;
  }

  /**
   * How many bytes one try may allocate (garbage included; from the second try on, the first one
   * also initialising classes); 64 MiB unless set.
   */
  public Fuzz<T> maxAllocation(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxAllocation must be positive, got " + bytes);
    }
    this.maxAllocatedBytes = bytes;
    return this;
  }

  /** How an input is shown in a failure message: ideally as a literal to paste into a unit test. */
  public Fuzz<T> shownAs(Function<? super T, String> show) {
    this.show = Objects.requireNonNull(show, "show");
    return this;
  }

  /** The tries this run makes: {@code -Dfuzz.tries} when set, else the test's own count. */
  public int effectiveTries() {
    String override = System.getProperty(TRIES_PROPERTY);
    if (override == null || override.isBlank()) {
      return tries;
    }
    try {
      int n = Integer.parseInt(override.strip());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "-D" + TRIES_PROPERTY + " must be a positive number, got '" + override + "'");
  }

  /**
   * The seed this run uses: {@code -Dfuzz.seed} when set ("random" picks one), else the test's own.
   */
  public long effectiveSeed() {
    String override = System.getProperty(SEED_PROPERTY);
    if (override == null || override.isBlank()) {
      return seed;
    }
    if (override.strip().equals("random")) {
      return RANDOM_SEED;
    }
    try {
      return Long.parseLong(override.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + SEED_PROPERTY + " must be a number or 'random', got '" + override + "'", e);
    }
  }

  // One random seed per JVM, so that every property of a run names the same one.
  private static final long RANDOM_SEED = new Random().nextLong();

  /**
   * Runs the tries; throws an AssertionError naming the seed, the try and the input at the first
   * failure: an assertion of the property, an exception it did not catch, a try that took longer
   * than the timeout or allocated more than the cap.
   */
  public Outcomes check(Property<T> property) {
    int n = effectiveTries();
    long s = effectiveSeed();
    long start = System.nanoTime();
    Map<String, Integer> counts = new TreeMap<>();
    ExecutorService worker =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("fuzz-" + name).factory());
    try {
      for (int i = 0; i < n; i++) {
        T input = generator.apply(new Random(trySeed(s, i)));
        Future<Result> future = worker.submit(() -> run(property, input));
        Result r;
        try {
          r = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          future.cancel(true);
          // The stuck thread is abandoned (a daemon); the next property gets its own.
          worker.shutdownNow();
          throw failure(
              s, i, n, input, "the try did not end within " + timeout + " (a hang?)", null);
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          String what =
              cause instanceof AssertionError
                  ? "the property does not hold: " + cause.getMessage()
                  : "the parser threw " + cause + ", which is not one of the errors it may throw";
          throw failure(s, i, n, input, what, cause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
        // The first try also loads and initialises classes: the cap holds from the second on.
        if (i > 0 && r.allocated() > maxAllocatedBytes) {
          throw failure(
              s,
              i,
              n,
              input,
              "the try allocated "
                  + r.allocated()
                  + " bytes, more than the "
                  + maxAllocatedBytes
                  + " allowed (does a declared size make the parser allocate it?)",
              null);
        }
        counts.merge(String.valueOf(r.label()), 1, Integer::sum);
      }
    } finally {
      worker.shutdownNow();
    }
    if (Boolean.getBoolean(VERBOSE_PROPERTY)) {
      System.err.printf(
          "fuzz %s: %d tries, seed %d, %d ms: %s%n",
          name, n, s, (System.nanoTime() - start) / 1_000_000, counts);
    }
    return new Outcomes(n, counts);
  }

  private record Result(String label, long allocated) {}

  private static <T> Result run(Property<T> property, T input) throws Exception {
    long before = allocatedBytes();
    String label = property.test(input);
    return new Result(label, allocatedBytes() - before);
  }

  private static long allocatedBytes() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
        && bean.isThreadAllocatedMemorySupported()
        && bean.isThreadAllocatedMemoryEnabled()) {
      return bean.getCurrentThreadAllocatedBytes();
    }
    return 0; // not measurable on this JVM: the cap does not apply
  }

  private AssertionError failure(long s, int i, int n, T input, String what, Throwable cause) {
    String shown;
    try {
      shown = show.apply(input);
    } catch (RuntimeException e) {
      shown = "(cannot be shown: " + e + ")";
    }
    if (shown.length() > MAX_SHOWN) {
      shown = shown.substring(0, MAX_SHOWN) + "... (" + shown.length() + " characters in all)";
    }
    AssertionError error =
        new AssertionError(
            "fuzz property '"
                + name
                + "' failed at try "
                + i
                + " of "
                + n
                + " (seed "
                + s
                + "; -D"
                + SEED_PROPERTY
                + "="
                + s
                + " reproduces it)\n"
                + what
                + "\ninput: "
                + shown);
    if (cause != null) {
      error.initCause(cause);
    }
    return error;
  }

  /** The seed of try {@code i}: each try has its own, so one can be replayed alone. */
  static long trySeed(long seed, int i) {
    long z = seed + 0x9E3779B97F4A7C15L * (i + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** An input as a Java literal when it is a String or bytes, else its toString. */
  public static String describe(Object input) {
    if (input instanceof byte[] b) {
      return literal(b);
    }
    if (input instanceof String s) {
      return literal(s);
    }
    return String.valueOf(input);
  }

  /** {@code s} as a Java string literal: printable ASCII as is, everything else escaped. */
  public static String literal(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            b.append(c);
          } else {
            b.append(String.format("\\u%04x", (int) c));
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** Bytes as {@code "...".getBytes(ISO_8859_1)}, which gives them back exactly. */
  public static String literal(byte[] bytes) {
    return literal(new String(bytes, StandardCharsets.ISO_8859_1)) + ".getBytes(ISO_8859_1)";
  }
}
