package fr.coffre.crypto;

import fr.coffre.core.BlobId;
import fr.coffre.core.CorruptDataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
  // Enough for the header of a key file, passphrase or HSM root key and a KMS reference.
  private static final int FIRST_READ = 512;

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

  /**
   * Reads the header at the start of {@code in}: one read of {@link #FIRST_READ} bytes holds a
   * usual header whole (a second read only for a longer one), positional on a file.
   */
  static BlobHeader read(SeekableByteChannel in, BlobId blob) throws IOException {
    ByteBuffer first = ByteBuffer.allocate(FIRST_READ);
    int got = readAtLeast(in, first, 0, FIXED, blob);
    byte[] magic = Arrays.copyOf(first.array(), 8);
    if (!Arrays.equals(magic, MAGIC)) {
      throw corrupt(blob, "magic " + hex(magic) + ", expected " + hex(MAGIC));
    }
    int version = first.getShort(8) & 0xffff;
    if (version != VERSION) {
      throw corrupt(blob, "format version " + version + ", expected " + VERSION);
    }
    int length = first.getShort(10) & 0xffff;
    if (length < FIXED + 14 || length > MAX_LENGTH) {
      throw corrupt(blob, "header length " + length);
    }
    ByteBuffer all = ByteBuffer.allocate(length);
    all.put(first.array(), 0, Math.min(got, length));
    if (all.hasRemaining()) {
      readAtLeast(in, all, all.position(), all.remaining(), blob);
    }
    all.clear();
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

  /**
   * Reads into {@code b} from file position {@code position} until at least {@code atLeast} bytes
   * came (or {@code b} is full); returns how many came. The end of the file before that is a
   * corrupt header.
   */
  private static int readAtLeast(
      SeekableByteChannel in, ByteBuffer b, long position, int atLeast, BlobId blob)
      throws IOException {
    FileChannel file = in instanceof FileChannel f ? f : null;
    if (file == null) {
      in.position(position);
    }
    int got = 0;
    while (got < atLeast && b.hasRemaining()) {
      int n = file != null ? file.read(b, position + got) : in.read(b);
      if (n < 0) {
        throw corrupt(
            blob,
            "file ends inside its header ("
                + (position + got)
                + " bytes, at least "
                + (position + atLeast)
                + " expected)");
      }
      got += n;
    }
    return got;
  }

  private static CorruptDataException corrupt(BlobId blob, String what) {
    return new CorruptDataException("blob " + blob + ": " + what, null);
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
