package fr.coffre.s3.checksum;

import java.util.zip.Checksum;

/**
 * CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5, init and xorout all ones), the checksum
 * AWS SDKs send by default since 2025 for full-object checks. The JDK has no such class; this is
 * a table-driven checksum, not a cryptographic primitive.
 */
public final class Crc64Nvme implements Checksum {
  private static final long POLY = 0x9a6c9329ac4bc9b5L;
  private static final long[][] TABLES = tables();
  private long crc = -1L;

  private static long[][] tables() {
    long[][] t = new long[8][256];
    for (int i = 0; i < 256; i++) {
      long c = i;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
      }
      t[0][i] = c;
    }
    for (int i = 0; i < 256; i++) {
      for (int k = 1; k < 8; k++) {
        t[k][i] = (t[k - 1][i] >>> 8) ^ t[0][(int) (t[k - 1][i] & 0xff)];
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
    long c = crc;
    int i = off;
    int end = off + len;
    // Slicing-by-8: eight table lookups per 8 bytes instead of eight dependent shifts.
    while (end - i >= 8) {
      long v = (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
          | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48 | (b[i + 7] & 0xffL) << 56;
      c ^= v;
      c = TABLES[7][(int) (c & 0xff)] ^ TABLES[6][(int) ((c >>> 8) & 0xff)]
          ^ TABLES[5][(int) ((c >>> 16) & 0xff)] ^ TABLES[4][(int) ((c >>> 24) & 0xff)]
          ^ TABLES[3][(int) ((c >>> 32) & 0xff)] ^ TABLES[2][(int) ((c >>> 40) & 0xff)]
          ^ TABLES[1][(int) ((c >>> 48) & 0xff)] ^ TABLES[0][(int) (c >>> 56)];
      i += 8;
    }
    while (i < end) {
      c = (c >>> 8) ^ TABLES[0][(int) ((c ^ b[i++]) & 0xff)];
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
