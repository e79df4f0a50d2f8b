package fr.coffre.s3.checksum;

/**
 * Computes the CRC of a concatenation A‖B from the CRC of A, the CRC of B and the length of B,
 * without the bytes. This is how the full-object checksum of a multipart upload is found: each part
 * was checksummed once as it streamed in on UploadPart, and CompleteMultipartUpload folds those
 * values together instead of reading up to 5 TiB back from storage.
 *
 * <h2>Why it works</h2>
 *
 * <p>A CRC of width w and polynomial P treats its register as a polynomial over GF(2) and every
 * step is linear. Write R(c, M) for the register after feeding message M to a register holding c,
 * before the final xor; then R(c, M) = c·x<sup>8|M|</sup> + R(0, M) mod P: the initial contents are
 * only shifted, and the message adds what it would add to an empty register. With initial value I
 * and final xor X, crc(M) = R(I, M) + X, and expanding both sides gives
 *
 * <pre>
 *   crc(A‖B) = crc(A)·x<sup>8|B|</sup> + crc(B) + (I + X)·x<sup>8|B|</sup>   (mod P)
 * </pre>
 *
 * <p>The last term vanishes when I = X, which holds for the three CRCs S3 uses (CRC-32, CRC-32C and
 * CRC-64/NVME all start from and end with an xor of all ones), so only the first product is work.
 * This is zlib's {@code crc32_combine}, generalised to 64 bits.
 *
 * <h2>Cost</h2>
 *
 * <p>x<sup>8n</sup> mod P is the product of the precomputed x<sup>8·2<sup>k</sup></sup> mod P for
 * the bits k set in n, so a combine costs at most 64 multiplications of w steps each: O(log n), the
 * same for an empty part as for a 5 GiB one, and independent of the data.
 *
 * <h2>Representation</h2>
 *
 * <p>Values are reflected, as the registers of these CRCs are: the coefficient of x<sup>0</sup> is
 * the register's top bit (bit w−1) and that of x<sup>w−1</sup> is bit 0, so multiplying by x is a
 * right shift, with the reflected polynomial xored in when a bit falls off. A CRC's value, as
 * {@link java.util.zip.Checksum#getValue()} returns it, is already in this form.
 */
public final class CrcCombine {
  /** CRC-32 (ISO-HDLC), as {@link java.util.zip.CRC32} computes it. */
  public static final CrcCombine CRC32 = new CrcCombine(0xedb88320L, 32);

  /** CRC-32C (Castagnoli), as {@link java.util.zip.CRC32C} computes it. */
  public static final CrcCombine CRC32C = new CrcCombine(0x82f63b78L, 32);

  /** CRC-64/NVME, as {@link Crc64Nvme} computes it. */
  public static final CrcCombine CRC64NVME = new CrcCombine(0x9a6c9329ac4bc9b5L, 64);

  private final int width;
  private final long polyReflected;
  private final long mask;
  // The polynomial 1 (x^0), reflected: the register's top bit.
  private final long one;
  // byteShifts[k] = x^(8·2^k) mod P: feeding 2^k zero bytes to a raw register multiplies it by it.
  // 63 entries cover every bit of a non-negative long length.
  private final long[] byteShifts = new long[63];

  /**
   * @param polyReflected the polynomial without its x<sup>w</sup> term, bit-reflected
   * @param width the CRC's width in bits, 32 or 64; for 32, values use the low 32 bits of a long
   */
  private CrcCombine(long polyReflected, int width) {
    this.width = width;
    this.polyReflected = polyReflected;
    this.mask = width == 64 ? -1L : (1L << width) - 1;
    this.one = 1L << (width - 1);
    long x8 = one >>> 1; // x^1
    for (int i = 0; i < 3; i++) {
      x8 = multiply(x8, x8); // x^2, x^4, x^8
    }
    byteShifts[0] = x8;
    for (int k = 1; k < byteShifts.length; k++) {
      byteShifts[k] = multiply(byteShifts[k - 1], byteShifts[k - 1]);
    }
  }

  /**
   * The combiner for a CRC algorithm.
   *
   * @throws IllegalArgumentException for a digest (SHA-1, SHA-256): digests do not combine
   */
  public static CrcCombine of(ChecksumAlgorithm algorithm) {
    return switch (algorithm) {
      case CRC32 -> CRC32;
      case CRC32C -> CRC32C;
      case CRC64NVME -> CRC64NVME;
      case SHA1, SHA256 ->
          throw new IllegalArgumentException(algorithm + " is a digest, not a combinable CRC");
    };
  }

  /** The CRC's width in bits: 32 or 64. */
  public int width() {
    return width;
  }

  /**
   * The CRC of A‖B.
   *
   * @param crcA the CRC of A, as {@link java.util.zip.Checksum#getValue()} returns it
   * @param crcB the CRC of B, likewise
   * @param lengthB the length of B in bytes, 0 or more; A's length does not matter
   * @throws IllegalArgumentException if {@code lengthB} is negative or a 32-bit CRC value has bits
   *     set above bit 31
   */
  public long combine(long crcA, long crcB, long lengthB) {
    checkValue("crcA", crcA);
    checkValue("crcB", crcB);
    if (lengthB < 0) {
      throw new IllegalArgumentException("lengthB must be 0 or more, was " + lengthB);
    }
    long shift = one;
    long n = lengthB;
    for (int k = 0; n != 0; k++, n >>>= 1) {
      if ((n & 1) != 0) {
        shift = multiply(shift, byteShifts[k]);
      }
    }
    return multiply(crcA, shift) ^ crcB;
  }

  private void checkValue(String name, long value) {
    if ((value & ~mask) != 0) {
      throw new IllegalArgumentException(
          name + " must fit in " + width + " bits, was 0x" + Long.toHexString(value));
    }
  }

  /** a·b mod P, both reflected. */
  private long multiply(long a, long b) {
    long product = 0;
    long bTimesXi = b;
    // Walk a's coefficients from x^0 (top bit) to x^(w-1) (bit 0), with b·x^i alongside.
    for (long bit = one; bit != 0; bit >>>= 1) {
      if ((a & bit) != 0) {
        product ^= bTimesXi;
      }
      bTimesXi = (bTimesXi & 1) != 0 ? (bTimesXi >>> 1) ^ polyReflected : bTimesXi >>> 1;
    }
    return product;
  }
}
