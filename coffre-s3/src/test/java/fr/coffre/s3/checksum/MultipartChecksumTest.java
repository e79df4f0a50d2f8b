package fr.coffre.s3.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class MultipartChecksumTest {
  private static final Random RANDOM = new Random(20261123);

  /** Splits data at random points, including empty and one-byte pieces. */
  private static List<byte[]> split(byte[] data) {
    List<byte[]> pieces = new ArrayList<>();
    int at = 0;
    while (at < data.length) {
      int n = switch (RANDOM.nextInt(4)) {
        case 0 -> 0;
        case 1 -> 1;
        default -> RANDOM.nextInt(Math.max(1, data.length / 3)) + 1;
      };
      n = Math.min(n, data.length - at);
      pieces.add(Arrays.copyOfRange(data, at, at + n));
      at += n;
    }
    pieces.add(new byte[0]);
    return pieces;
  }

  private static List<MultipartChecksum.Part> parts(ChecksumAlgorithm a, List<byte[]> pieces) {
    return pieces.stream()
        .map(p -> new MultipartChecksum.Part(Base64.getDecoder().decode(a.checksum(p)), p.length))
        .toList();
  }

  @ParameterizedTest
  @EnumSource(names = {"CRC32", "CRC32C", "CRC64NVME"})
  void fullObject_ofRandomSplits_equalsTheChecksumOfTheWhole(ChecksumAlgorithm a) {
    for (int round = 0; round < 40; round++) {
      byte[] data = new byte[RANDOM.nextInt(5000)];
      RANDOM.nextBytes(data);
      List<byte[]> pieces = split(data);
      assertThat(MultipartChecksum.compute(a, ChecksumType.FULL_OBJECT, parts(a, pieces)))
          .as("%d bytes in %d pieces", data.length, pieces.size())
          .isEqualTo(a.checksum(data));
    }
  }

  @Test
  void combine_longSecondPiece_matchesDirectComputation() {
    byte[] data = new byte[3 * 1024 * 1024 + 7];
    RANDOM.nextBytes(data);
    int cut = 1234;
    java.util.zip.CRC32C whole = new java.util.zip.CRC32C();
    whole.update(data);
    java.util.zip.CRC32C a = new java.util.zip.CRC32C();
    a.update(data, 0, cut);
    java.util.zip.CRC32C b = new java.util.zip.CRC32C();
    b.update(data, cut, data.length - cut);
    assertThat(CrcCombine.CRC32C.combine(a.getValue(), b.getValue(), data.length - cut)).isEqualTo(whole.getValue());
    assertThat(CrcCombine.CRC32C.combine(whole.getValue(), new java.util.zip.CRC32C().getValue(), 0))
        .isEqualTo(whole.getValue());
  }

  @ParameterizedTest
  @EnumSource(names = {"CRC32", "CRC32C", "SHA1", "SHA256"})
  void composite_isTheChecksumOfConcatenatedPartChecksums(ChecksumAlgorithm a) throws Exception {
    List<byte[]> pieces = List.of("first part".getBytes(), "second".getBytes(), "3".getBytes());
    var concatenated = new java.io.ByteArrayOutputStream();
    for (byte[] p : pieces) {
      concatenated.write(Base64.getDecoder().decode(a.checksum(p)));
    }
    String expected = a.checksum(concatenated.toByteArray()) + "-3";
    assertThat(MultipartChecksum.compute(a, ChecksumType.COMPOSITE, parts(a, pieces))).isEqualTo(expected);
    if (a == ChecksumAlgorithm.SHA256) {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(concatenated.toByteArray());
      assertThat(expected).isEqualTo(Base64.getEncoder().encodeToString(sha) + "-3");
    }
  }

  @Test
  void unsupportedCombinations_areRefused() {
    assertThat(MultipartChecksum.supports(ChecksumAlgorithm.SHA256, ChecksumType.FULL_OBJECT)).isFalse();
    assertThat(MultipartChecksum.supports(ChecksumAlgorithm.CRC64NVME, ChecksumType.COMPOSITE)).isFalse();
    assertThat(MultipartChecksum.defaultType(ChecksumAlgorithm.CRC64NVME)).isEqualTo(ChecksumType.FULL_OBJECT);
    assertThat(MultipartChecksum.defaultType(ChecksumAlgorithm.CRC32)).isEqualTo(ChecksumType.COMPOSITE);
    assertThatThrownBy(() -> MultipartChecksum.compute(ChecksumAlgorithm.SHA256, ChecksumType.FULL_OBJECT, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MultipartChecksum.compute(ChecksumAlgorithm.CRC64NVME, ChecksumType.COMPOSITE, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
