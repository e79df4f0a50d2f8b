package fr.coffre.s3.checksum;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;

/**
 * A multipart object's checksum as S3 computes it from the parts' checksums: {@link
 * ChecksumType#COMPOSITE} is the algorithm over the concatenated raw part checksums, suffixed
 * {@code -N}; {@link ChecksumType#FULL_OBJECT} is the CRC of the whole content, combined from the
 * part CRCs and sizes ({@link CrcCombine}).
 */
public final class MultipartChecksum {
  /** One part: its raw (decoded) checksum and its size in bytes. */
  public record Part(byte[] checksum, long size) {}

  private MultipartChecksum() {}

  /** Whether S3 allows this combination (no composite CRC64NVME, no full-object SHA). */
  public static boolean supports(ChecksumAlgorithm algorithm, ChecksumType type) {
    return switch (type) {
      case COMPOSITE -> algorithm != ChecksumAlgorithm.CRC64NVME;
      case FULL_OBJECT -> algorithm == ChecksumAlgorithm.CRC32 || algorithm == ChecksumAlgorithm.CRC32C
          || algorithm == ChecksumAlgorithm.CRC64NVME;
    };
  }

  /** The type S3 uses when the client names only the algorithm. */
  public static ChecksumType defaultType(ChecksumAlgorithm algorithm) {
    return algorithm == ChecksumAlgorithm.CRC64NVME ? ChecksumType.FULL_OBJECT : ChecksumType.COMPOSITE;
  }

  /** The object's base64 checksum; IllegalArgumentException for an unsupported combination. */
  public static String compute(ChecksumAlgorithm algorithm, ChecksumType type, List<Part> parts) {
    if (!supports(algorithm, type)) {
      throw new IllegalArgumentException(type + " is not available for " + algorithm);
    }
    for (Part p : parts) {
      if (p.checksum().length != algorithm.length()) {
        throw new IllegalArgumentException("a " + algorithm + " value has " + algorithm.length() + " bytes");
      }
    }
    if (type == ChecksumType.COMPOSITE) {
      Checksummer c = algorithm.newChecksummer();
      for (Part p : parts) {
        c.update(p.checksum(), 0, p.checksum().length);
      }
      return c.base64() + "-" + parts.size();
    }
    CrcCombine combine = CrcCombine.of(algorithm);
    long crc = 0;
    boolean first = true;
    for (Part p : parts) {
      long partCrc = unsigned(p.checksum());
      crc = first ? partCrc : combine.combine(crc, partCrc, p.size());
      first = false;
    }
    if (first) {
      // No part: the CRC of nothing.
      return algorithm.checksum(new byte[0]);
    }
    ByteBuffer out = ByteBuffer.allocate(algorithm.length());
    if (algorithm.length() == 8) {
      out.putLong(crc);
    } else {
      out.putInt((int) crc);
    }
    return Base64.getEncoder().encodeToString(out.array());
  }

  private static long unsigned(byte[] bigEndian) {
    long v = 0;
    for (byte b : bigEndian) {
      v = (v << 8) | (b & 0xff);
    }
    return v;
  }
}
