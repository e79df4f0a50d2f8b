package fr.coffre.s3.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64NvmeTest {
  /** The definition, one bit at a time: what the tables must reproduce. */
  private static long reference(byte[] data, int off, int len) {
    long crc = -1L;
    for (int i = off; i < off + len; i++) {
      crc ^= data[i] & 0xff;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9a6c9329ac4bc9b5L : crc >>> 1;
      }
    }
    return ~crc;
  }

  @Test
  void getValue_checkInput_isThePublishedCheckValue() {
    Crc64Nvme crc = new Crc64Nvme();
    crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
    assertThat(crc.getValue()).isEqualTo(0xae8b14860a799888L);
  }

  @Test
  void update_randomSlicesAtRandomOffsets_matchesTheBitwiseDefinition() {
    Random random = new Random(7);
    byte[] data = new byte[4096];
    random.nextBytes(data);
    for (int round = 0; round < 500; round++) {
      int off = random.nextInt(64);
      int len = random.nextInt(data.length - off);
      Crc64Nvme crc = new Crc64Nvme();
      crc.update(data, off, len);
      assertThat(crc.getValue()).as("off=%d len=%d", off, len).isEqualTo(reference(data, off, len));
    }
  }

  @Test
  void updateInt_byteByByte_matchesTheArrayUpdate() {
    byte[] data = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);
    Crc64Nvme single = new Crc64Nvme();
    for (byte b : data) {
      single.update(b);
    }
    assertThat(single.getValue()).isEqualTo(reference(data, 0, data.length));
  }

  @Test
  void reset_afterInput_startsAfresh() {
    Crc64Nvme crc = new Crc64Nvme();
    crc.update(new byte[] {1, 2, 3});
    crc.reset();
    crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
    assertThat(crc.getValue()).isEqualTo(0xae8b14860a799888L);
  }
}
