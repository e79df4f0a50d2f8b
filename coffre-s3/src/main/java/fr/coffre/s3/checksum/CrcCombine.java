package fr.coffre.s3.checksum;

/**
 * The CRC of a concatenation A‖B from the CRCs of A and B and the length of B, without the data:
 * a multipart upload's full-object CRC is computed at completion from its parts' CRCs, so no byte
 * is read twice. Works for the reflected CRCs with all-ones initial value and final xor that S3
 * uses (CRC32, CRC32C, CRC64NVME): crc(A‖B) = crc(A)·x^(8·|B|) mod P ⊕ crc(B), the multiplier found
 * by repeated squaring in O(log |B|) (the method of zlib's {@code crc32_combine}).
 */
public final class CrcCombine {
  public static final CrcCombine CRC32 = new CrcCombine(0xEDB88320L, 32);
  public static final CrcCombine CRC32C = new CrcCombine(0x82F63B78L, 32);
  public static final CrcCombine CRC64NVME = new CrcCombine(0x9a6c9329ac4bc9b5L, 64);

  private final long poly;
  private final long one;
  // powers[k] = x^(2^k) mod P
  private final long[] powers = new long[64];

  private CrcCombine(long reflectedPoly, int width) {
    this.poly = reflectedPoly;
    this.one = 1L << (width - 1);
    powers[0] = one >>> 1;
    for (int k = 1; k < powers.length; k++) {
      powers[k] = multiply(powers[k - 1], powers[k - 1]);
    }
  }

  /** The combiner of an algorithm; IllegalArgumentException for a non-CRC one. */
  public static CrcCombine of(ChecksumAlgorithm algorithm) {
    return switch (algorithm) {
      case CRC32 -> CRC32;
      case CRC32C -> CRC32C;
      case CRC64NVME -> CRC64NVME;
      default -> throw new IllegalArgumentException(algorithm + " is not a CRC; it cannot be combined");
    };
  }

  /**
   * @param crcA the CRC of the first piece (as the algorithm reports it, unsigned in a long)
   * @param crcB the CRC of the second piece
   * @param lengthB the length of the second piece in bytes, >= 0
   */
  public long combine(long crcA, long crcB, long lengthB) {
    if (lengthB < 0) {
      throw new IllegalArgumentException("negative length " + lengthB);
    }
    return multiply(xPow8n(lengthB), crcA) ^ crcB;
  }

  // a·b mod P, polynomials in reflected form (the x^0 coefficient in the top bit of the width).
  private long multiply(long a, long b) {
    long m = one;
    long p = 0;
    while (true) {
      if ((a & m) != 0) {
        p ^= b;
        if ((a & (m - 1)) == 0) {
          return p;
        }
      }
      m >>>= 1;
      if (m == 0) {
        return p;
      }
      b = (b & 1) != 0 ? (b >>> 1) ^ poly : b >>> 1;
    }
  }

  // x^(8n) mod P
  private long xPow8n(long n) {
    long p = one;
    int k = 3;
    while (n != 0) {
      if ((n & 1) != 0) {
        p = multiply(powers[k & 63], p);
      }
      n >>>= 1;
      k++;
    }
    return p;
  }
}
