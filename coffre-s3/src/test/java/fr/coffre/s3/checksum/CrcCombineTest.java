package fr.coffre.s3.checksum;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CrcCombineTest {
  private static final long FIVE_TIB = 5L << 40;

  /** The CRCs S3 uses, each with the independent implementation it must agree with. */
  enum Crc {
    CRC32(CrcCombine.CRC32, CRC32::new),
    CRC32C(CrcCombine.CRC32C, CRC32C::new),
    CRC64NVME(CrcCombine.CRC64NVME, Crc64Nvme::new);

    final CrcCombine combine;
    final Supplier<Checksum> direct;

    Crc(CrcCombine combine, Supplier<Checksum> direct) {
      this.combine = combine;
      this.direct = direct;
    }

    long of(byte[] data, int off, int len) {
      Checksum c = direct.get();
      c.update(data, off, len);
      return c.getValue();
    }
  }

  /**
   * Cut points into {@code length} bytes, sorted, with repeats (empty pieces) and neighbours
   * (1-byte pieces) on purpose, from 0 to {@code length} inclusive.
   */
  static List<Integer> randomCuts(Random random, int length) {
    List<Integer> cuts = new ArrayList<>();
    cuts.add(0);
    int pieces = random.nextInt(12);
    for (int i = 0; i < pieces; i++) {
      int at = random.nextInt(length + 1);
      cuts.add(at);
      switch (random.nextInt(4)) {
        case 0 -> cuts.add(at); // an empty piece
        case 1 -> cuts.add(Math.min(length, at + 1)); // a 1-byte piece
        default -> {}
      }
    }
    cuts.add(length);
    cuts.sort(null);
    return cuts;
  }

  @ParameterizedTest
  @EnumSource(Crc.class)
  void combine_piecesOfRandomData_isTheDirectCrcOfTheWhole(Crc crc) {
    Random random = new Random(20250101L + crc.ordinal());
    for (int round = 0; round < 300; round++) {
      // Mostly lengths that are not multiples of 8, and some zero-length wholes.
      int length = round % 10 == 0 ? 0 : random.nextInt(3000);
      byte[] data = new byte[length];
      random.nextBytes(data);
      List<Integer> cuts = randomCuts(random, length);

      long combined = crc.of(data, 0, 0);
      for (int i = 1; i < cuts.size(); i++) {
        int from = cuts.get(i - 1);
        int n = cuts.get(i) - from;
        combined = crc.combine.combine(combined, crc.of(data, from, n), n);
      }
      assertThat(combined).as("length=%d cuts=%s", length, cuts).isEqualTo(crc.of(data, 0, length));
    }
  }

  @ParameterizedTest
  @EnumSource(Crc.class)
  void combine_partsOfMegabytes_isTheDirectCrcOfTheWhole(Crc crc) {
    // Lengths with high bits set reach the later squarings, which small pieces never use.
    Random random = new Random(99 + crc.ordinal());
    byte[] data = new byte[(5 << 20) + 13];
    random.nextBytes(data);
    int cut = (3 << 20) - 7;
    long combined =
        crc.combine.combine(
            crc.of(data, 0, cut), crc.of(data, cut, data.length - cut), data.length - cut);
    assertThat(combined).isEqualTo(crc.of(data, 0, data.length));
  }

  @Test
  void combine_checkInputSplitInTwo_givesThePublishedCheckValues() {
    byte[] check = "123456789".getBytes(US_ASCII);
    assertThat(CrcCombine.CRC32.combine(Crc.CRC32.of(check, 0, 4), Crc.CRC32.of(check, 4, 5), 5))
        .isEqualTo(0xcbf43926L);
    assertThat(CrcCombine.CRC32C.combine(Crc.CRC32C.of(check, 0, 4), Crc.CRC32C.of(check, 4, 5), 5))
        .isEqualTo(0xe3069283L);
    assertThat(
            CrcCombine.CRC64NVME.combine(
                Crc.CRC64NVME.of(check, 0, 4), Crc.CRC64NVME.of(check, 4, 5), 5))
        .isEqualTo(0xae8b14860a799888L);
  }

  @ParameterizedTest
  @EnumSource(Crc.class)
  void combine_emptyB_isCrcOfA(Crc crc) {
    byte[] data = "hello world".getBytes(US_ASCII);
    long crcA = crc.of(data, 0, data.length);
    assertThat(crc.combine.combine(crcA, crc.of(data, 0, 0), 0)).isEqualTo(crcA);
  }

  @ParameterizedTest
  @EnumSource(Crc.class)
  void combine_emptyA_isCrcOfB(Crc crc) {
    byte[] data = "hello world".getBytes(US_ASCII);
    long crcB = crc.of(data, 0, data.length);
    assertThat(crc.combine.combine(crc.of(data, 0, 0), crcB, data.length)).isEqualTo(crcB);
  }

  @ParameterizedTest
  @EnumSource(Crc.class)
  void combine_terabyteLengths_isAssociative(Crc crc) {
    // No test can checksum 5 TiB directly. (A‖B)‖C = A‖(B‖C) holds only if x^(8(b+c)) equals
    // x^(8b)·x^(8c) as computed, which ties the high table entries to the low ones.
    Random random = new Random(5 + crc.ordinal());
    long valueMask = crc.combine.width() == 64 ? -1L : 0xffffffffL;
    for (int round = 0; round < 200; round++) {
      long a = random.nextLong() & valueMask;
      long b = random.nextLong() & valueMask;
      long c = random.nextLong() & valueMask;
      long lengthB = random.nextLong(FIVE_TIB / 2);
      long lengthC = random.nextLong(FIVE_TIB / 2);
      long left = crc.combine.combine(crc.combine.combine(a, b, lengthB), c, lengthC);
      long right = crc.combine.combine(a, crc.combine.combine(b, c, lengthC), lengthB + lengthC);
      assertThat(left).as("lengthB=%d lengthC=%d", lengthB, lengthC).isEqualTo(right);
    }
    long a = random.nextLong() & valueMask;
    assertThat(crc.combine.combine(a, 0, FIVE_TIB))
        .isEqualTo(crc.combine.combine(crc.combine.combine(a, 0, FIVE_TIB - 1), 0, 1));
  }

  @Test
  void combine_checkInputThenFiveTebibytesOfZeros_matchesAnIndependentComputation() {
    // Worked out apart from this code: polynomials in normal (unreflected) form, x^(8n) mod P by
    // left-to-right square-and-multiply without tables, checked against bitwise CRCs of A followed
    // by 0, 1, 7 and 1000 zero bytes. The middle value is the CRC of the 5 TiB of zeros alone.
    assertThat(CrcCombine.CRC32.combine(0xcbf43926L, 0xfcc39d65L, FIVE_TIB)).isEqualTo(0x358fc95eL);
    assertThat(CrcCombine.CRC32C.combine(0xe3069283L, 0xb20ff57eL, FIVE_TIB))
        .isEqualTo(0xfb31043aL);
    assertThat(CrcCombine.CRC64NVME.combine(0xae8b14860a799888L, 0x93bdf3a6a36c5022L, FIVE_TIB))
        .isEqualTo(0x339527e887df81c8L);
  }

  @Test
  void combine_negativeLength_isRejected() {
    assertThatThrownBy(() -> CrcCombine.CRC32.combine(0, 0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lengthB")
        .hasMessageContaining("-1");
  }

  @Test
  void combine_32BitValueWithHighBits_isRejected() {
    assertThatThrownBy(() -> CrcCombine.CRC32C.combine(0x1_0000_0000L, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("crcA");
    assertThatThrownBy(() -> CrcCombine.CRC32.combine(0, -1L, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("crcB");
  }

  @Test
  void of_eachAlgorithm_isItsCombinerOrRejected() {
    assertThat(CrcCombine.of(ChecksumAlgorithm.CRC32)).isSameAs(CrcCombine.CRC32);
    assertThat(CrcCombine.of(ChecksumAlgorithm.CRC32C)).isSameAs(CrcCombine.CRC32C);
    assertThat(CrcCombine.of(ChecksumAlgorithm.CRC64NVME)).isSameAs(CrcCombine.CRC64NVME);
    assertThatThrownBy(() -> CrcCombine.of(ChecksumAlgorithm.SHA256))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CrcCombine.of(ChecksumAlgorithm.SHA1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
