package fr.coffre.crypto;

import fr.coffre.core.BlobId;
import fr.coffre.core.CorruptDataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The self-describing header in front of every blob (big-endian): magic {@code COFFREB1} (8),
 * format version (2), header length (2), segment size (4), key reference length (2) and bytes,
 * wrapped data key length (2) and bytes, CRC32C of everything before it (4).
 */
record BlobHeader(int length, int segmentSize, String keyRef, byte[] wrappedKey) {
  static final byte[] MAGIC = "COFFREB1".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  private static final int FIXED = 8 + 2 + 2;
  private static final int MAX_LENGTH = 4096;

  static ByteBuffer encode(String keyRef, byte[] wrapped, int segmentSize) {
    byte[] ref = keyRef.getBytes(StandardCharsets.UTF_8);
    int length = FIXED + 4 + 2 + ref.length + 2 + wrapped.length + 4;
    ByteBuffer b = ByteBuffer.allocate(length);
    b.put(MAGIC).putShort((short) VERSION).putShort((short) length).putInt(segmentSize);
    b.putShort((short) ref.length).put(ref).putShort((short) wrapped.length).put(wrapped);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, length - 4);
    b.putInt((int) crc.getValue());
    return b.flip();
  }

  static BlobHeader read(SeekableByteChannel in, BlobId blob) throws IOException {
    ByteBuffer fixed = ByteBuffer.allocate(FIXED);
    readFully(in, fixed, 0, blob);
    byte[] magic = Arrays.copyOf(fixed.array(), 8);
    if (!Arrays.equals(magic, MAGIC)) {
      throw corrupt(blob, "magic " + hex(magic) + ", expected " + hex(MAGIC));
    }
    int version = fixed.getShort(8) & 0xffff;
    if (version != VERSION) {
      throw corrupt(blob, "format version " + version + ", expected " + VERSION);
    }
    int length = fixed.getShort(10) & 0xffff;
    if (length < FIXED + 14 || length > MAX_LENGTH) {
      throw corrupt(blob, "header length " + length);
    }
    ByteBuffer all = ByteBuffer.allocate(length);
    readFully(in, all, 0, blob);
    CRC32C crc = new CRC32C();
    crc.update(all.array(), 0, length - 4);
    int expected = all.getInt(length - 4);
    if ((int) crc.getValue() != expected) {
      throw corrupt(
          blob,
          "header CRC32C "
              + Integer.toHexString((int) crc.getValue())
              + ", expected "
              + Integer.toHexString(expected));
    }
    all.position(FIXED);
    int segment = all.getInt();
    byte[] ref = new byte[all.getShort() & 0xffff];
    all.get(ref);
    byte[] wrapped = new byte[all.getShort() & 0xffff];
    all.get(wrapped);
    return new BlobHeader(length, segment, new String(ref, StandardCharsets.UTF_8), wrapped);
  }

  private static void readFully(SeekableByteChannel in, ByteBuffer b, long position, BlobId blob)
      throws IOException {
    in.position(position);
    while (b.hasRemaining()) {
      if (in.read(b) < 0) {
        throw corrupt(
            blob,
            "file ends inside its header (" + b.position() + " of " + b.capacity() + " bytes)");
      }
    }
  }

  private static CorruptDataException corrupt(BlobId blob, String what) {
    return new CorruptDataException("blob " + blob + ": " + what, null);
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
