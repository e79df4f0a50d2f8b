package fr.coffre.s3.checksum;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumAlgorithmTest {
  private static final byte[] HELLO = "hello world".getBytes(US_ASCII);
  private static final byte[] CHECK = "123456789".getBytes(US_ASCII);

  /** The 200000-byte body the AWS SDK v2 reference vectors were generated from. */
  static byte[] sdkPattern() {
    byte[] data = new byte[200_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) ('a' + (i * 7 % 26));
    }
    return data;
  }

  @Test
  void checksum_standardCheckInput_givesPublishedCheckValues() {
    // CRC-32 0xcbf43926, CRC-32C 0xe3069283, CRC-64/NVME 0xae8b14860a799888, big-endian base64.
    assertThat(ChecksumAlgorithm.CRC32.checksum(CHECK)).isEqualTo("y/Q5Jg==");
    assertThat(ChecksumAlgorithm.CRC32C.checksum(CHECK)).isEqualTo("4waSgw==");
    assertThat(ChecksumAlgorithm.CRC64NVME.checksum(CHECK)).isEqualTo("rosUhgp5mIg=");
  }

  @Test
  void checksum_helloWorld_matchesIndependentComputations() {
    assertThat(ChecksumAlgorithm.CRC32.checksum(HELLO)).isEqualTo("DUoRhQ=="); // 0x0d4a1185
    assertThat(ChecksumAlgorithm.CRC64NVME.checksum(HELLO)).isEqualTo("jSnVw/bqjr4=");
    assertThat(ChecksumAlgorithm.SHA1.checksum(HELLO)).isEqualTo("Kq5sNclPz7QV2+lfQIuc6R7oRu0=");
    assertThat(ChecksumAlgorithm.SHA256.checksum(HELLO))
        .isEqualTo("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=");
  }

  @Test
  void checksum_sdkPattern_matchesWhatTheAwsSdkSent() {
    byte[] data = sdkPattern();
    assertThat(ChecksumAlgorithm.CRC32.checksum(data)).isEqualTo("0iag1g==");
    assertThat(ChecksumAlgorithm.CRC32C.checksum(data)).isEqualTo("8Xo2MQ==");
    assertThat(ChecksumAlgorithm.SHA256.checksum(data))
        .isEqualTo("9x2gl6dp8J2DhaHqlRzcnQ4qlSJ49Hy+CZ5qQDx0hwQ=");
    assertThat(ChecksumAlgorithm.CRC64NVME.checksum(data)).isEqualTo("4PZpmxKGfMA=");
  }

  @Test
  void checksum_emptyInput_isTheAlgorithmsEmptyValue() {
    assertThat(ChecksumAlgorithm.CRC32.checksum(new byte[0])).isEqualTo("AAAAAA==");
    assertThat(ChecksumAlgorithm.CRC64NVME.checksum(new byte[0])).isEqualTo("AAAAAAAAAAA=");
    assertThat(ChecksumAlgorithm.SHA256.checksum(new byte[0]))
        .isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  }

  @Test
  void update_anySplitOfTheInput_givesTheOneShotValue() {
    Random random = new Random(42);
    byte[] data = new byte[5000];
    random.nextBytes(data);
    for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
      String expected = algorithm.checksum(data);
      for (int round = 0; round < 20; round++) {
        Checksummer c = algorithm.newChecksummer();
        int off = 0;
        while (off < data.length) {
          int n = Math.min(data.length - off, random.nextInt(40));
          c.update(data, off, n);
          off += n;
        }
        assertThat(c.base64()).as(algorithm.name()).isEqualTo(expected);
      }
    }
  }

  @Test
  void digest_calledTwice_returnsTheSameValueAndRefusesMoreInput() {
    for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
      Checksummer c = algorithm.newChecksummer();
      c.update(HELLO, 0, HELLO.length);
      String first = c.base64();
      assertThat(c.base64()).isEqualTo(first);
      assertThat(c.digest()).hasSize(algorithm.length());
      assertThatThrownBy(() -> c.update(HELLO, 0, 1)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void headerName_eachAlgorithm_isTheS3HeaderAndParsesBack() {
    assertThat(ChecksumAlgorithm.CRC64NVME.headerName()).isEqualTo("x-amz-checksum-crc64nvme");
    for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
      assertThat(ChecksumAlgorithm.fromHeaderName(algorithm.headerName().toUpperCase()))
          .contains(algorithm);
      assertThat(ChecksumAlgorithm.fromAwsName(algorithm.awsName().toLowerCase()))
          .contains(algorithm);
      assertThat(ChecksumAlgorithm.isValueHeader(algorithm.headerName())).isTrue();
    }
    assertThat(ChecksumAlgorithm.fromHeaderName("x-amz-checksum-md5")).isEmpty();
    assertThat(ChecksumAlgorithm.fromAwsName("MD5")).isEmpty();
  }

  @Test
  void isValueHeader_configurationHeaders_areNotValues() {
    assertThat(ChecksumAlgorithm.isValueHeader("x-amz-checksum-algorithm")).isFalse();
    assertThat(ChecksumAlgorithm.isValueHeader("X-Amz-Checksum-Type")).isFalse();
    assertThat(ChecksumAlgorithm.isValueHeader("x-amz-checksum-mode")).isFalse();
    assertThat(ChecksumAlgorithm.isValueHeader("x-amz-checksum-sha512")).isTrue();
    assertThat(ChecksumAlgorithm.isValueHeader("content-md5")).isFalse();
  }

  @Test
  void isWellFormed_valuesOfWrongSizeOrForm_areRefused() {
    assertThat(ChecksumAlgorithm.CRC32.isWellFormed("DUoRhQ==")).isTrue();
    assertThat(ChecksumAlgorithm.CRC32.isWellFormed("DUoRhQ")).isFalse(); // padding missing
    assertThat(ChecksumAlgorithm.CRC32.isWellFormed("DUoRhR==")).isFalse(); // stray low bits
    assertThat(ChecksumAlgorithm.CRC32.isWellFormed("rosUhgp5mIg=")).isFalse(); // 8 bytes
    assertThat(ChecksumAlgorithm.CRC32.isWellFormed("not base64!")).isFalse();
    assertThat(ChecksumAlgorithm.CRC32.isWellFormed("")).isFalse();
    assertThat(ChecksumAlgorithm.CRC32.isWellFormed(null)).isFalse();
    assertThat(ChecksumAlgorithm.CRC64NVME.isWellFormed("rosUhgp5mIg=")).isTrue();
  }

  @Test
  void checksumValue_malformedValue_isRefused() {
    assertThatThrownBy(() -> new ChecksumValue(ChecksumAlgorithm.SHA1, "DUoRhQ=="))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new ChecksumValue(ChecksumAlgorithm.CRC32, "DUoRhQ==").base64())
        .isEqualTo("DUoRhQ==");
  }
}
