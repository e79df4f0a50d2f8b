package fr.coffre.s3.checksum;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Supplier;
import java.util.zip.Checksum;

/**
 * A checksummer over a JDK CRC ({@link Checksum}) or message digest: fed once, finished once (the
 * value is kept, later updates refused). S3 sends a CRC as its big-endian bytes, 4 or 8 of them.
 */
final class StreamChecksummer implements Checksummer {
  /** Feeds bytes to the underlying computation. */
  @FunctionalInterface
  private interface Feed {
    void update(byte[] b, int off, int len);
  }

  private final ChecksumAlgorithm algorithm;
  private final Feed feed;
  private final Supplier<byte[]> finish;
  private byte[] value;

  private StreamChecksummer(ChecksumAlgorithm algorithm, Feed feed, Supplier<byte[]> finish) {
    this.algorithm = algorithm;
    this.feed = feed;
    this.finish = finish;
  }

  static StreamChecksummer crc(ChecksumAlgorithm algorithm, Checksum crc) {
    return new StreamChecksummer(
        algorithm,
        crc::update,
        () -> {
          long v = crc.getValue();
          int n = algorithm.length();
          byte[] out = new byte[n];
          for (int i = 0; i < n; i++) {
            out[i] = (byte) (v >>> (8 * (n - 1 - i)));
          }
          return out;
        });
  }

  static StreamChecksummer digest(ChecksumAlgorithm algorithm, String jdkName) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance(jdkName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jdkName + " is required of every JDK", e);
    }
    return new StreamChecksummer(algorithm, digest::update, digest::digest);
  }

  @Override
  public ChecksumAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public void update(byte[] b, int off, int len) {
    if (value != null) {
      throw new IllegalStateException("checksum already finished");
    }
    feed.update(b, off, len);
  }

  @Override
  public byte[] digest() {
    if (value == null) {
      value = finish.get();
    }
    return value.clone();
  }
}
