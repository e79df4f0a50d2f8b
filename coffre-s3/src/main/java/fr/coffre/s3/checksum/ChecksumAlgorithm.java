package fr.coffre.s3.checksum;

import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The additional checksums S3 accepts on uploads ({@code x-amz-checksum-*}), with their header
 * names, their value sizes and S3's encoding of values: base64 of the big-endian bytes.
 */
public enum ChecksumAlgorithm {
  CRC32(4),
  CRC32C(4),
  CRC64NVME(8),
  SHA1(20),
  SHA256(32);

  private static final String HEADER_PREFIX = "x-amz-checksum-";

  private final int length;
  private final String headerName;

  ChecksumAlgorithm(int length) {
    this.length = length;
    this.headerName = HEADER_PREFIX + name().toLowerCase(Locale.ROOT);
  }

  /** The name S3 uses in {@code x-amz-checksum-algorithm} and in XML, e.g. {@code CRC32C}. */
  public String awsName() {
    return name();
  }

  /** The header (or trailer) that carries a value, e.g. {@code x-amz-checksum-crc32c}. */
  public String headerName() {
    return headerName;
  }

  /** The size of a raw value in bytes. */
  public int length() {
    return length;
  }

  /** A fresh streaming computation. */
  public Checksummer newChecksummer() {
    return switch (this) {
      case CRC32 -> StreamChecksummer.crc(this, new CRC32());
      case CRC32C -> StreamChecksummer.crc(this, new CRC32C());
      case CRC64NVME -> StreamChecksummer.crc(this, new Crc64Nvme());
      case SHA1 -> StreamChecksummer.digest(this, "SHA-1");
      case SHA256 -> StreamChecksummer.digest(this, "SHA-256");
    };
  }

  /** The base64 value of the whole of {@code data}, as a client would send it. */
  public String checksum(byte[] data) {
    Checksummer c = newChecksummer();
    c.update(data, 0, data.length);
    return c.base64();
  }

  /**
   * Whether a value a client sent is well-formed for this algorithm: canonical base64 of exactly
   * {@link #length()} bytes. S3 refuses malformed values before looking at the body.
   */
  public boolean isWellFormed(String base64) {
    if (base64 == null) {
      return false;
    }
    try {
      byte[] raw = Base64.getDecoder().decode(base64);
      // Re-encoding rejects non-canonical forms (missing padding, stray bits) that would
      // otherwise compare unequal to our value and report BadDigest for a format problem.
      return raw.length == length && Base64.getEncoder().encodeToString(raw).equals(base64);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The algorithm whose header is {@code name} (any case), e.g. from {@code x-amz-trailer}. */
  public static Optional<ChecksumAlgorithm> fromHeaderName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (ChecksumAlgorithm a : values()) {
      if (a.headerName.equals(n)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** The algorithm S3 names {@code name} (any case), e.g. from {@code x-amz-checksum-algorithm}. */
  public static Optional<ChecksumAlgorithm> fromAwsName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.strip().toUpperCase(Locale.ROOT);
    for (ChecksumAlgorithm a : values()) {
      if (a.name().equals(n)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a header name is one of the {@code x-amz-checksum-*} family that carries a value (as
   * opposed to {@code -algorithm}, {@code -type} or {@code -mode}, which configure).
   */
  public static boolean isValueHeader(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.startsWith(HEADER_PREFIX)
        && !n.equals("x-amz-checksum-algorithm")
        && !n.equals("x-amz-checksum-type")
        && !n.equals("x-amz-checksum-mode");
  }
}
