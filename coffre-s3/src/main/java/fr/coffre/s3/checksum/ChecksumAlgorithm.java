package fr.coffre.s3.checksum;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** The additional checksums S3 accepts ({@code x-amz-checksum-*}), each with its digest. */
public enum ChecksumAlgorithm {
  CRC32,
  CRC32C,
  CRC64NVME,
  SHA1,
  SHA256;

  /** The header that carries this checksum, e.g. {@code x-amz-checksum-crc32}. */
  public String header() {
    return "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
  }

  /** The algorithm a header or trailer name designates, or null. */
  public static ChecksumAlgorithm ofHeader(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (ChecksumAlgorithm a : values()) {
      if (a.header().equals(n)) {
        return a;
      }
    }
    return null;
  }

  /** A fresh running digest. */
  public Digest newDigest() {
    return switch (this) {
      case CRC32 -> new CrcDigest(new CRC32(), 4);
      case CRC32C -> new CrcDigest(new CRC32C(), 4);
      case CRC64NVME -> new CrcDigest(new Crc64Nvme(), 8);
      case SHA1 -> new HashDigest("SHA-1");
      case SHA256 -> new HashDigest("SHA-256");
    };
  }

  /** A running checksum whose value is given base64-encoded, as S3 headers carry it. */
  public interface Digest {
    void update(byte[] b, int off, int len);

    String base64();
  }

  private record CrcDigest(Checksum checksum, int bytes) implements Digest {
    @Override
    public void update(byte[] b, int off, int len) {
      checksum.update(b, off, len);
    }

    @Override
    public String base64() {
      ByteBuffer buf = ByteBuffer.allocate(8).putLong(checksum.getValue());
      return Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(buf.array(), 8 - bytes, 8));
    }
  }

  private static final class HashDigest implements Digest {
    private final MessageDigest md;

    HashDigest(String algorithm) {
      try {
        md = MessageDigest.getInstance(algorithm);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(algorithm + " is in every JDK", e);
      }
    }

    @Override
    public void update(byte[] b, int off, int len) {
      md.update(b, off, len);
    }

    @Override
    public String base64() {
      return Base64.getEncoder().encodeToString(md.digest());
    }
  }
}
