package fr.coffre.s3.checksum;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.s3.checksum.MultipartChecksum.Part;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MultipartChecksumTest {
  /** Pieces of {@code data} cut at random points, with empty and 1-byte pieces among them. */
  private static List<byte[]> randomPieces(Random random, byte[] data) {
    List<Integer> cuts = CrcCombineTest.randomCuts(random, data.length);
    List<byte[]> pieces = new ArrayList<>();
    for (int i = 1; i < cuts.size(); i++) {
      pieces.add(Arrays.copyOfRange(data, cuts.get(i - 1), cuts.get(i)));
    }
    return pieces;
  }

  private static List<Part> parts(ChecksumAlgorithm algorithm, List<byte[]> pieces) {
    List<Part> parts = new ArrayList<>();
    for (byte[] piece : pieces) {
      parts.add(Part.ofBase64(algorithm.checksum(piece), piece.length));
    }
    return parts;
  }

  /** A part's raw value, computed with the JDK alone rather than with {@link Checksummer}. */
  private static byte[] rawByHand(ChecksumAlgorithm algorithm, byte[] data) throws Exception {
    return switch (algorithm) {
      case CRC32 -> crc32Bytes(new CRC32(), data);
      case CRC32C -> crc32Bytes(new CRC32C(), data);
      case SHA1 -> MessageDigest.getInstance("SHA-1").digest(data);
      case SHA256 -> MessageDigest.getInstance("SHA-256").digest(data);
      case CRC64NVME -> throw new AssertionError("no composite CRC64NVME");
    };
  }

  private static byte[] crc32Bytes(Checksum crc, byte[] data) {
    crc.update(data, 0, data.length);
    return ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
  }

  @ParameterizedTest
  @EnumSource(
      value = ChecksumAlgorithm.class,
      names = {"CRC32", "CRC32C", "CRC64NVME"})
  void compute_fullObjectOfRandomParts_isTheChecksumOfTheWholeData(ChecksumAlgorithm algorithm) {
    Random random = new Random(31 + algorithm.ordinal());
    for (int round = 0; round < 100; round++) {
      byte[] data = new byte[round == 0 ? 0 : random.nextInt(5000)];
      random.nextBytes(data);
      List<byte[]> pieces = randomPieces(random, data);

      String value =
          MultipartChecksum.compute(algorithm, ChecksumType.FULL_OBJECT, parts(algorithm, pieces));

      assertThat(value)
          .as("length=%d pieces=%d", data.length, pieces.size())
          .isEqualTo(algorithm.checksum(data));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ChecksumAlgorithm.class,
      names = {"CRC32", "CRC32C", "SHA1", "SHA256"})
  void compute_compositeOfRandomParts_isTheDigestOfPartDigestsWithPartCount(
      ChecksumAlgorithm algorithm) throws Exception {
    Random random = new Random(77 + algorithm.ordinal());
    for (int round = 0; round < 50; round++) {
      byte[] data = new byte[random.nextInt(5000)];
      random.nextBytes(data);
      List<byte[]> pieces = randomPieces(random, data);
      ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
      for (byte[] piece : pieces) {
        concatenated.write(rawByHand(algorithm, piece));
      }
      String expected =
          Base64.getEncoder().encodeToString(rawByHand(algorithm, concatenated.toByteArray()))
              + "-"
              + pieces.size();

      String value =
          MultipartChecksum.compute(algorithm, ChecksumType.COMPOSITE, parts(algorithm, pieces));

      assertThat(value).isEqualTo(expected);
    }
  }

  @Test
  void compute_twoPartsOfHelloWorld_matchValuesWorkedOutWithZlib() {
    // "hello" and " world" have CRC-32s 0x3610a686 and 0x4a3b42cb; the CRC-32 of the eight bytes
    // 36 10 a6 86 4a 3b 42 cb is 0xa2d32a0b, and that of "hello world" is 0x0d4a1185.
    List<Part> parts =
        List.of(
            new Part(new byte[] {0x36, 0x10, (byte) 0xa6, (byte) 0x86}, 5),
            new Part(new byte[] {0x4a, 0x3b, 0x42, (byte) 0xcb}, 6));

    assertThat(MultipartChecksum.compute(ChecksumAlgorithm.CRC32, ChecksumType.COMPOSITE, parts))
        .isEqualTo("otMqCw==-2");
    assertThat(MultipartChecksum.compute(ChecksumAlgorithm.CRC32, ChecksumType.FULL_OBJECT, parts))
        .isEqualTo("DUoRhQ==");
  }

  @Test
  void compute_singlePart_isThePartValueOrItsCompositeOfOne() {
    byte[] data = "a single part".getBytes(US_ASCII);
    String crc64 = ChecksumAlgorithm.CRC64NVME.checksum(data);
    assertThat(
            MultipartChecksum.compute(
                ChecksumAlgorithm.CRC64NVME,
                ChecksumType.FULL_OBJECT,
                List.of(Part.ofBase64(crc64, data.length))))
        .isEqualTo(crc64);
    String sha256 = ChecksumAlgorithm.SHA256.checksum(data);
    assertThat(
            MultipartChecksum.compute(
                ChecksumAlgorithm.SHA256,
                ChecksumType.COMPOSITE,
                List.of(Part.ofBase64(sha256, data.length))))
        .isEqualTo(ChecksumAlgorithm.SHA256.checksum(Base64.getDecoder().decode(sha256)) + "-1");
  }

  @Test
  void compute_unsupportedCombination_isRejected() {
    byte[] data = {1, 2, 3};
    assertThatThrownBy(
            () ->
                MultipartChecksum.compute(
                    ChecksumAlgorithm.SHA256,
                    ChecksumType.FULL_OBJECT,
                    parts(ChecksumAlgorithm.SHA256, List.of(data))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SHA256")
        .hasMessageContaining("FULL_OBJECT");
    assertThatThrownBy(
            () ->
                MultipartChecksum.compute(
                    ChecksumAlgorithm.SHA1,
                    ChecksumType.FULL_OBJECT,
                    parts(ChecksumAlgorithm.SHA1, List.of(data))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                MultipartChecksum.compute(
                    ChecksumAlgorithm.CRC64NVME,
                    ChecksumType.COMPOSITE,
                    parts(ChecksumAlgorithm.CRC64NVME, List.of(data))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CRC64NVME")
        .hasMessageContaining("COMPOSITE");
  }

  @Test
  void compute_malformedParts_areRejected() {
    assertThatThrownBy(
            () ->
                MultipartChecksum.compute(
                    ChecksumAlgorithm.CRC32, ChecksumType.COMPOSITE, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    List<Part> wrongLength = List.of(new Part(new byte[4], 1), new Part(new byte[8], 1));
    assertThatThrownBy(
            () ->
                MultipartChecksum.compute(
                    ChecksumAlgorithm.CRC32, ChecksumType.FULL_OBJECT, wrongLength))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("part 2");
    assertThatThrownBy(() -> new Part(new byte[4], -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void supports_everyPair_followsS3() {
    for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
      boolean crc32 = algorithm == ChecksumAlgorithm.CRC32 || algorithm == ChecksumAlgorithm.CRC32C;
      assertThat(MultipartChecksum.supports(algorithm, ChecksumType.COMPOSITE))
          .as(algorithm.name())
          .isEqualTo(algorithm != ChecksumAlgorithm.CRC64NVME);
      assertThat(MultipartChecksum.supports(algorithm, ChecksumType.FULL_OBJECT))
          .as(algorithm.name())
          .isEqualTo(crc32 || algorithm == ChecksumAlgorithm.CRC64NVME);
    }
  }

  @Test
  void defaultType_eachAlgorithm_isWhatS3UsesWhenTheClientDoesNotSay() {
    assertThat(MultipartChecksum.defaultType(ChecksumAlgorithm.CRC64NVME))
        .isEqualTo(ChecksumType.FULL_OBJECT);
    for (ChecksumAlgorithm algorithm :
        List.of(
            ChecksumAlgorithm.CRC32,
            ChecksumAlgorithm.CRC32C,
            ChecksumAlgorithm.SHA1,
            ChecksumAlgorithm.SHA256)) {
      assertThat(MultipartChecksum.defaultType(algorithm)).isEqualTo(ChecksumType.COMPOSITE);
    }
    for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
      assertThat(MultipartChecksum.supports(algorithm, MultipartChecksum.defaultType(algorithm)))
          .isTrue();
    }
  }

  @Test
  void part_checksumArray_isCopiedInAndOut() {
    byte[] raw = {1, 2, 3, 4};
    Part part = new Part(raw, 10);
    raw[0] = 9;
    part.checksum()[1] = 9;
    assertThat(part.checksum()).containsExactly(1, 2, 3, 4);
    assertThat(part).isEqualTo(new Part(new byte[] {1, 2, 3, 4}, 10));
    assertThat(part).hasSameHashCodeAs(new Part(new byte[] {1, 2, 3, 4}, 10));
  }
}
