package fr.coffre.s3.checksum;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The checksum S3 reports for an object assembled by CompleteMultipartUpload, computed from the
 * checksums its parts were given on UploadPart, never from the data.
 *
 * <p>S3 has two ways ({@link ChecksumType}): a {@linkplain ChecksumType#COMPOSITE composite} value
 * is the algorithm run over the concatenated raw part values, then {@code -} and the part count; a
 * {@linkplain ChecksumType#FULL_OBJECT full-object} value is the CRC of the whole object, found by
 * {@linkplain CrcCombine combining} the part CRCs in order. Digests have no full-object form and
 * CRC-64/NVME has no composite one; S3 refuses those pairs and so does {@link #compute}.
 */
public final class MultipartChecksum {
  private MultipartChecksum() {}

  /**
   * One part of the assembled object, in object order.
   *
   * @param checksum the part's raw checksum value (big-endian bytes, as S3 base64-encodes them)
   * @param size the part's size in bytes; a full-object CRC needs it to shift the preceding parts
   */
  public record Part(byte[] checksum, long size) {
    public Part {
      Objects.requireNonNull(checksum, "checksum");
      if (size < 0) {
        throw new IllegalArgumentException("size must be 0 or more, was " + size);
      }
      checksum = checksum.clone();
    }

    /** A part whose checksum is in S3's base64 form, as an UploadPart response echoed it. */
    public static Part ofBase64(String checksum, long size) {
      return new Part(Base64.getDecoder().decode(checksum), size);
    }

    @Override
    public byte[] checksum() {
      return checksum.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Part p && size == p.size && Arrays.equals(checksum, p.checksum);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(checksum) + Long.hashCode(size);
    }

    @Override
    public String toString() {
      String base64 = Base64.getEncoder().encodeToString(checksum);
      return "Part[checksum=" + base64 + ", size=" + size + "]";
    }
  }

  /** Whether S3 accepts {@code type} for a multipart upload checksummed with {@code algorithm}. */
  public static boolean supports(ChecksumAlgorithm algorithm, ChecksumType type) {
    Objects.requireNonNull(type, "type");
    return switch (algorithm) {
      case CRC32, CRC32C -> true;
      case CRC64NVME -> type == ChecksumType.FULL_OBJECT;
      case SHA1, SHA256 -> type == ChecksumType.COMPOSITE;
    };
  }

  /**
   * The type S3 uses when CreateMultipartUpload names an algorithm but no {@code
   * x-amz-checksum-type}: full-object for CRC-64/NVME, the only type it supports, composite for the
   * others.
   */
  public static ChecksumType defaultType(ChecksumAlgorithm algorithm) {
    return algorithm == ChecksumAlgorithm.CRC64NVME
        ? ChecksumType.FULL_OBJECT
        : ChecksumType.COMPOSITE;
  }

  /**
   * The object's checksum as S3 returns it: {@code base64} for a full-object checksum, {@code
   * base64-N} for a composite one over N parts.
   *
   * @param parts every part of the object, in order, each checksummed with {@code algorithm}
   * @throws IllegalArgumentException if S3 does not support {@code type} with {@code algorithm}, if
   *     {@code parts} is empty, or if a part's checksum is not {@code algorithm}'s length
   */
  public static String compute(ChecksumAlgorithm algorithm, ChecksumType type, List<Part> parts) {
    if (!supports(algorithm, type)) {
      throw new IllegalArgumentException(
          "S3 has no " + type + " checksum for multipart uploads with " + algorithm);
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException(
          "a multipart upload has at least one part, parts is empty");
    }
    for (int i = 0; i < parts.size(); i++) {
      int length = parts.get(i).checksum.length;
      if (length != algorithm.length()) {
        throw new IllegalArgumentException(
            "part "
                + (i + 1)
                + " has a "
                + length
                + "-byte checksum, "
                + algorithm
                + " needs "
                + algorithm.length());
      }
    }
    return switch (type) {
      case COMPOSITE -> composite(algorithm, parts);
      case FULL_OBJECT -> fullObject(algorithm, parts);
    };
  }

  private static String composite(ChecksumAlgorithm algorithm, List<Part> parts) {
    Checksummer c = algorithm.newChecksummer();
    for (Part part : parts) {
      c.update(part.checksum, 0, part.checksum.length);
    }
    return c.base64() + "-" + parts.size();
  }

  private static String fullObject(ChecksumAlgorithm algorithm, List<Part> parts) {
    CrcCombine combine = CrcCombine.of(algorithm);
    // The first part's size never matters: only what follows a part shifts it.
    long crc = bigEndian(parts.get(0).checksum);
    for (Part part : parts.subList(1, parts.size())) {
      crc = combine.combine(crc, bigEndian(part.checksum), part.size);
    }
    byte[] raw = new byte[algorithm.length()];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) (crc >>> (8 * (raw.length - 1 - i)));
    }
    return Base64.getEncoder().encodeToString(raw);
  }

  private static long bigEndian(byte[] raw) {
    long v = 0;
    for (byte b : raw) {
      v = v << 8 | (b & 0xffL);
    }
    return v;
  }
}
