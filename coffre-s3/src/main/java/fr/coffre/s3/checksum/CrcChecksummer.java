package fr.coffre.s3.checksum;

import java.util.zip.Checksum;

/** A CRC checksummer; S3 sends a CRC as its big-endian bytes, 4 or 8 of them. */
final class CrcChecksummer implements Checksummer {
  private final ChecksumAlgorithm algorithm;
  private final Checksum crc;
  private byte[] value;

  CrcChecksummer(ChecksumAlgorithm algorithm, Checksum crc) {
    this.algorithm = algorithm;
    this.crc = crc;
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
    crc.update(b, off, len);
  }

  @Override
  public byte[] digest() {
    if (value == null) {
      long v = crc.getValue();
      int n = algorithm.length();
      value = new byte[n];
      for (int i = 0; i < n; i++) {
        value[i] = (byte) (v >>> (8 * (n - 1 - i)));
      }
    }
    return value.clone();
  }
}
