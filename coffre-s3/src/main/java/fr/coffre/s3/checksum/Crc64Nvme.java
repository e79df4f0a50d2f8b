package fr.coffre.s3.checksum;

import java.util.Objects;
import java.util.zip.Checksum;

/**
 * CRC-64/NVME, the checksum AWS SDKs compute by default since 2025 for full-object integrity
 * ({@code x-amz-checksum-crc64nvme}). The JDK has none.
 *
 * <p>Parameters: reflected polynomial {@code 0x9a6c9329ac4bc9b5} (normal form {@code
 * 0xad93d23594c93659}), initial value and final xor all ones; check value for the ASCII bytes
 * {@code 123456789} is {@code 0xae8b14860a799888}. It is a checksum against accidental corruption,
 * not a cryptographic primitive. The update uses slicing-by-8 (eight tables, one lookup per input
 * byte but no dependency between the eight lookups of a word) because every uploaded byte passes
 * through it once.
 */
public final class Crc64Nvme implements Checksum {
  private static final long POLY_REFLECTED = 0x9a6c9329ac4bc9b5L;
  private static final long[][] TABLES = tables();

  private long crc = -1L;

  private static long[][] tables() {
    long[][] t = new long[8][256];
    for (int i = 0; i < 256; i++) {
      long c = i;
      for (int bit = 0; bit < 8; bit++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
      }
      t[0][i] = c;
    }
    // t[k][i] is the CRC of byte i followed by k zero bytes.
    for (int k = 1; k < 8; k++) {
      for (int i = 0; i < 256; i++) {
        long prev = t[k - 1][i];
        t[k][i] = (prev >>> 8) ^ t[0][(int) (prev & 0xff)];
      }
    }
    return t;
  }

  @Override
  public void update(int b) {
    crc = (crc >>> 8) ^ TABLES[0][(int) ((crc ^ b) & 0xff)];
  }

  @Override
  public void update(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    long c = crc;
    int i = off;
    int end = off + len;
    long[] t0 = TABLES[0];
    long[] t1 = TABLES[1];
    long[] t2 = TABLES[2];
    long[] t3 = TABLES[3];
    long[] t4 = TABLES[4];
    long[] t5 = TABLES[5];
    long[] t6 = TABLES[6];
    long[] t7 = TABLES[7];
    while (end - i >= 8) {
      // The reflected CRC consumes bytes least-significant first: load the word little-endian.
      c ^=
          (b[i] & 0xffL)
              | (b[i + 1] & 0xffL) << 8
              | (b[i + 2] & 0xffL) << 16
              | (b[i + 3] & 0xffL) << 24
              | (b[i + 4] & 0xffL) << 32
              | (b[i + 5] & 0xffL) << 40
              | (b[i + 6] & 0xffL) << 48
              | (b[i + 7] & 0xffL) << 56;
      c =
          t7[(int) (c & 0xff)]
              ^ t6[(int) ((c >>> 8) & 0xff)]
              ^ t5[(int) ((c >>> 16) & 0xff)]
              ^ t4[(int) ((c >>> 24) & 0xff)]
              ^ t3[(int) ((c >>> 32) & 0xff)]
              ^ t2[(int) ((c >>> 40) & 0xff)]
              ^ t1[(int) ((c >>> 48) & 0xff)]
              ^ t0[(int) (c >>> 56)];
      i += 8;
    }
    while (i < end) {
      c = (c >>> 8) ^ t0[(int) ((c ^ b[i++]) & 0xff)];
    }
    crc = c;
  }

  @Override
  public long getValue() {
    return ~crc;
  }

  @Override
  public void reset() {
    crc = -1L;
  }
}
