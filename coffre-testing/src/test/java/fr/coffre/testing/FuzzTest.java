package fr.coffre.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runner must catch each thing a parser may not do, and say how to reproduce it. */
class FuzzTest {
  private final Map<String, String> saved = new HashMap<>();

  /** These tests pin their own tries and seeds: a long run's -Dfuzz.* must not change them. */
  @BeforeEach
  void clearOverrides() {
    for (String p : List.of(Fuzz.TRIES_PROPERTY, Fuzz.SEED_PROPERTY)) {
      String v = System.clearProperty(p);
      if (v != null) {
        saved.put(p, v);
      }
    }
  }

  @AfterEach
  void restoreOverrides() {
    saved.forEach(System::setProperty);
  }

  @Test
  void check_overridesSet_takeThePlaceOfTheTestsTriesAndSeed() {
    System.setProperty(Fuzz.TRIES_PROPERTY, "7");
    System.setProperty(Fuzz.SEED_PROPERTY, "99");
    try {
      List<Integer> overridden = new ArrayList<>();
      assertThat(
              Fuzz.of("o", r -> r.nextInt())
                  .tries(100)
                  .seed(1)
                  .check(n -> overridden.add(n) ? "ok" : "")
                  .tries())
          .isEqualTo(7);
      System.clearProperty(Fuzz.TRIES_PROPERTY);
      System.clearProperty(Fuzz.SEED_PROPERTY);
      List<Integer> direct = new ArrayList<>();
      Fuzz.of("d", r -> r.nextInt()).tries(7).seed(99).check(n -> direct.add(n) ? "ok" : "");
      assertThat(overridden).isEqualTo(direct);
      System.setProperty(Fuzz.SEED_PROPERTY, "random");
      assertThat(Fuzz.of("r", r -> 0).effectiveSeed())
          .isEqualTo(Fuzz.of("s", r -> 0).effectiveSeed());
      System.setProperty(Fuzz.TRIES_PROPERTY, "0");
      assertThatThrownBy(() -> Fuzz.of("z", r -> 0).effectiveTries())
          .hasMessageContaining("-Dfuzz.tries");
    } finally {
      System.clearProperty(Fuzz.TRIES_PROPERTY);
      System.clearProperty(Fuzz.SEED_PROPERTY);
    }
  }

  @Test
  void check_propertyThatHolds_countsTheLabels() {
    Fuzz.Outcomes outcomes =
        Fuzz.of("parity", r -> r.nextInt(1000)).tries(200).check(n -> n % 2 == 0 ? "even" : "odd");

    assertThat(outcomes.tries()).isEqualTo(200);
    assertThat(outcomes.count("even") + outcomes.count("odd")).isEqualTo(200);
    assertThat(outcomes.count("even")).isBetween(50, 150);
    assertThat(outcomes.countOther("even")).isEqualTo(outcomes.count("odd"));
  }

  @Test
  void check_unexpectedException_failsNamingTheSeedTryAndInput() {
    assertThatThrownBy(
            () ->
                Fuzz.of("npe", r -> "x" + r.nextInt(10))
                    .tries(50)
                    .seed(42)
                    .check(s -> s.equals("x7") ? ((String) null).trim() : "ok"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("fuzz property 'npe' failed at try ")
        .hasMessageContaining("(seed 42; -Dfuzz.seed=42 reproduces it)")
        .hasMessageContaining("the parser threw java.lang.NullPointerException")
        .hasMessageContaining("input: \"x7\"")
        .hasCauseInstanceOf(NullPointerException.class);
  }

  @Test
  void check_stackOverflow_isCaughtAndReported() {
    assertThatThrownBy(() -> Fuzz.of("deep", r -> 1).tries(1).check(n -> "" + recurse(n)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("java.lang.StackOverflowError");
  }

  private static int recurse(int n) {
    return recurse(n + 1) + 1;
  }

  @Test
  void check_failedAssertion_isReportedAsTheProperty() {
    assertThatThrownBy(
            () ->
                Fuzz.of("small", r -> r.nextInt(100))
                    .tries(100)
                    .check(
                        n -> {
                          assertThat(n).as("n").isLessThan(50);
                          return "ok";
                        }))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the property does not hold: [n]");
  }

  @Test
  void check_tryThatHangs_failsAfterTheTimeout() {
    assertThatThrownBy(
            () ->
                Fuzz.of("hang", r -> 0)
                    .tries(3)
                    .timeout(Duration.ofMillis(200))
                    .check(
                        n -> {
                          Thread.sleep(60_000);
                          return "never";
                        }))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the try did not end within PT0.2S (a hang?)");
  }

  @Test
  void check_tryThatAllocatesTooMuch_fails() {
    List<byte[]> keep = new ArrayList<>();
    assertThatThrownBy(
            () ->
                Fuzz.of("greedy", r -> 8 << 20)
                    .tries(3)
                    .maxAllocation(4 << 20)
                    .check(
                        n -> {
                          keep.add(new byte[n]);
                          return "ok";
                        }))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("more than the 4194304 allowed");
  }

  @Test
  void check_sameSeed_drawsTheSameInputs() {
    List<Integer> first = new ArrayList<>();
    List<Integer> second = new ArrayList<>();
    Fuzz.of("a", r -> r.nextInt()).tries(20).seed(7).check(n -> first.add(n) ? "ok" : "");
    Fuzz.of("b", r -> r.nextInt()).tries(20).seed(7).check(n -> second.add(n) ? "ok" : "");
    assertThat(first).isEqualTo(second).doesNotHaveDuplicates();
  }

  @Test
  void literal_bytesAndStrings_areJavaLiteralsThatGiveThemBack() {
    assertThat(Fuzz.literal("a\"b\\c\n\u00e9\u0000")).isEqualTo("\"a\\\"b\\\\c\\n\\u00e9\\u0000\"");
    assertThat(Fuzz.literal(new byte[] {'<', (byte) 0xff, 0}))
        .isEqualTo("\"<\\u00ff\\u0000\".getBytes(ISO_8859_1)");
  }

  @Test
  void mutate_staysWithinTheMaximumLength_andChangesTheInput() {
    Random r = new Random(1);
    byte[] valid =
        "<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>"
            .getBytes(StandardCharsets.UTF_8);
    int changed = 0;
    for (int i = 0; i < 2000; i++) {
      byte[] m = Mutations.mutate(r, valid, 100, List.of("<Tag>", "</Tag>"));
      assertThat(m.length).isLessThanOrEqualTo(100);
      changed += java.util.Arrays.equals(m, valid) ? 0 : 1;
    }
    assertThat(changed).isGreaterThan(1900);
  }
}
