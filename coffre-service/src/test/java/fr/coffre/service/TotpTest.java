package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TotpTest {
  /** RFC 6238 appendix B's SHA-1 seed. */
  private static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  @Test
  void code_rfc6238Vectors_match() {
    long[] times = {59L, 1111111109L, 1111111111L, 1234567890L, 2000000000L, 20000000000L};
    String[] codes = {"94287082", "07081804", "14050471", "89005924", "69279037", "65353130"};
    for (int i = 0; i < times.length; i++) {
      assertThat(Totp.code(SEED, Totp.step(Instant.ofEpochSecond(times[i])), 8))
          .as("T=%d", times[i])
          .isEqualTo(codes[i]);
    }
  }

  @Test
  void match_currentOrNeighbourStep_only() {
    Instant now = Instant.ofEpochSecond(1234567890L);
    long step = Totp.step(now);
    assertThat(Totp.match(SEED, Totp.code(SEED, step, 6), now)).isEqualTo(step);
    assertThat(Totp.match(SEED, Totp.code(SEED, step - 1, 6), now)).isEqualTo(step - 1);
    assertThat(Totp.match(SEED, Totp.code(SEED, step + 1, 6), now)).isEqualTo(step + 1);
    // From the wrong time step: two steps away.
    assertThat(Totp.match(SEED, Totp.code(SEED, step - 2, 6), now)).isEqualTo(-1);
    assertThat(Totp.match(SEED, Totp.code(SEED, step + 2, 6), now)).isEqualTo(-1);
    assertThat(Totp.match(SEED, "12345", now)).isEqualTo(-1);
    assertThat(Totp.match(SEED, null, now)).isEqualTo(-1);
  }

  @Test
  void base32_rfc4648Vectors() {
    assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
    assertThat(Totp.base32("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
    assertThat(Totp.base32(SEED)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  }
}
