package fr.coffre.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BlobId;
import fr.coffre.core.CorruptDataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectCryptoTest {
  @TempDir Path dir;
  private ObjectCrypto crypto;

  @BeforeEach
  void setUp() throws Exception {
    crypto = new ObjectCrypto(KeyFileRootKey.openOrCreate(dir.resolve("root.key")));
  }

  private Path encrypt(DataKey key, BlobId id, byte[] plain) throws IOException {
    Path file = dir.resolve(id.value());
    try (FileChannel out =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ)) {
      try (WritableByteChannel enc = crypto.encrypt(key, id, out)) {
        ByteBuffer b = ByteBuffer.wrap(plain);
        while (b.hasRemaining()) {
          enc.write(b);
        }
      }
    }
    return file;
  }

  private byte[] decrypt(DataKey key, BlobId id, Path file, long from, int len) throws IOException {
    try (SeekableByteChannel in =
        crypto.decrypt(key, id, FileChannel.open(file, StandardOpenOption.READ))) {
      in.position(from);
      ByteBuffer b = ByteBuffer.allocate(len);
      while (b.hasRemaining() && in.read(b) >= 0) {
        // keep reading
      }
      return Arrays.copyOf(b.array(), b.position());
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 65_000, 65_536, 65_537, 3_000_000})
  void decrypt_encrypted_returnsPlaintextAndSize(int size) throws IOException {
    byte[] plain = random(size);
    BlobId id = BlobId.random();
    try (DataKey key = crypto.newDataKey()) {
      Path file = encrypt(key, id, plain);
      assertThat(decrypt(key, id, file, 0, size + 10)).isEqualTo(plain);
      try (SeekableByteChannel in =
          crypto.decrypt(key, id, FileChannel.open(file, StandardOpenOption.READ))) {
        assertThat(in.size()).isEqualTo(size);
      }
    }
  }

  @Test
  void decrypt_rangeInTheMiddle_returnsThatSlice() throws IOException {
    byte[] plain = random(1_000_000);
    BlobId id = BlobId.random();
    try (DataKey key = crypto.newDataKey()) {
      Path file = encrypt(key, id, plain);
      for (long from : new long[] {0, 1, 65_535, 65_536, 400_001, 999_990}) {
        assertThat(decrypt(key, id, file, from, 5_000))
            .isEqualTo(
                Arrays.copyOfRange(plain, (int) from, (int) Math.min(plain.length, from + 5_000)));
      }
    }
  }

  @Test
  void encrypt_knownMarker_neverAppearsInFile() throws IOException {
    byte[] plain = "TOP-SECRET-PATIENT-RECORD ".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
    BlobId id = BlobId.random();
    try (DataKey key = crypto.newDataKey()) {
      byte[] stored = Files.readAllBytes(encrypt(key, id, plain));
      assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("PATIENT");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 40, 200, 70_000, -1})
  void decrypt_flippedByte_throwsCorruptData(int offset) throws IOException {
    byte[] plain = random(200_000);
    BlobId id = BlobId.random();
    try (DataKey key = crypto.newDataKey()) {
      Path file = encrypt(key, id, plain);
      byte[] stored = Files.readAllBytes(file);
      int at = offset < 0 ? stored.length - 1 : offset;
      stored[at] ^= 0x01;
      Files.write(file, stored);
      assertThatThrownBy(() -> decrypt(key, id, file, 0, plain.length))
          .isInstanceOf(CorruptDataException.class)
          .hasMessageContaining(id.value());
    }
  }

  @Test
  void decrypt_truncatedAtSegmentBoundary_throwsCorruptData() throws IOException {
    byte[] plain = random(300_000);
    BlobId id = BlobId.random();
    try (DataKey key = crypto.newDataKey()) {
      Path file = encrypt(key, id, plain);
      long size = Files.size(file);
      try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
        c.truncate(size - 40_000);
      }
      assertThatThrownBy(() -> decrypt(key, id, file, 0, plain.length))
          .isInstanceOf(CorruptDataException.class);
    }
  }

  @Test
  void decrypt_otherBlobId_throwsCorruptData() throws IOException {
    BlobId id = BlobId.random();
    try (DataKey key = crypto.newDataKey()) {
      Path file = encrypt(key, id, random(1000));
      assertThatThrownBy(() -> decrypt(key, BlobId.random(), file, 0, 1000))
          .isInstanceOf(CorruptDataException.class);
    }
  }

  @Test
  void decrypt_otherDataKey_throwsCorruptData() throws IOException {
    BlobId id = BlobId.random();
    Path file;
    try (DataKey key = crypto.newDataKey()) {
      file = encrypt(key, id, random(1000));
    }
    try (DataKey other = crypto.newDataKey()) {
      assertThatThrownBy(() -> decrypt(other, id, file, 0, 1000))
          .isInstanceOf(CorruptDataException.class);
    }
  }

  @Test
  void unwrap_storedKey_decryptsWhatTheOriginalEncrypted() throws IOException {
    BlobId id = BlobId.random();
    byte[] plain = random(5000);
    Path file;
    String ref;
    byte[] wrapped;
    try (DataKey key = crypto.newDataKey()) {
      file = encrypt(key, id, plain);
      ref = key.keyRef();
      wrapped = key.wrapped();
    }
    try (DataKey again = crypto.unwrap(ref, wrapped)) {
      assertThat(decrypt(again, id, file, 0, 5000)).isEqualTo(plain);
    }
  }

  @Test
  void unwrap_tamperedWrappedKey_throwsCorruptData() {
    try (DataKey key = crypto.newDataKey()) {
      byte[] wrapped = key.wrapped();
      wrapped[wrapped.length - 1] ^= 1;
      assertThatThrownBy(() -> crypto.unwrap(key.keyRef(), wrapped))
          .isInstanceOf(CorruptDataException.class);
    }
  }

  @Test
  void open_sealedWithOtherContext_throwsCorruptData() {
    try (DataKey key = crypto.newDataKey()) {
      byte[] sealed = crypto.seal(key, "v".getBytes(StandardCharsets.UTF_8), new byte[] {1});
      assertThat(crypto.open(key, sealed, new byte[] {1})).containsExactly('v');
      assertThatThrownBy(() -> crypto.open(key, sealed, new byte[] {2}))
          .isInstanceOf(CorruptDataException.class);
    }
  }

  @Test
  void openOrCreate_worldReadableKeyFile_isRefused() throws Exception {
    Path file = dir.resolve("loose.key");
    KeyFileRootKey.openOrCreate(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> KeyFileRootKey.openOrCreate(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("loose.key");
  }

  @Test
  void openOrCreate_existingFile_keepsTheSameKey() throws Exception {
    Path file = dir.resolve("same.key");
    assertThat(KeyFileRootKey.openOrCreate(file).id())
        .isEqualTo(KeyFileRootKey.openOrCreate(file).id());
  }

  @Test
  void decrypt_readsTheHeaderWhole_fromAFileOrAnyChannel_andATruncatedOneIsCorrupt()
      throws IOException {
    byte[] plain = random(70_000);
    BlobId id = BlobId.random();
    try (DataKey key = crypto.newDataKey()) {
      Path file = encrypt(key, id, plain);
      // Through a channel that is not a file (no positional reads): same bytes.
      try (SeekableByteChannel in =
          crypto.decrypt(key, id, new NotAFile(FileChannel.open(file, StandardOpenOption.READ)))) {
        in.position(65_530);
        ByteBuffer b = ByteBuffer.allocate(100);
        while (b.hasRemaining() && in.read(b) >= 0) {
          // keep reading
        }
        assertThat(b.array()).isEqualTo(Arrays.copyOfRange(plain, 65_530, 65_630));
      }
      // Cut inside the fixed part, and inside the key reference: refused, naming the blob.
      for (int cut : new int[] {0, 5, 11, 12, 30}) {
        Path shortFile = dir.resolve("cut-" + cut);
        Files.write(shortFile, Arrays.copyOf(Files.readAllBytes(file), cut));
        for (boolean asFile : new boolean[] {true, false}) {
          FileChannel raw = FileChannel.open(shortFile, StandardOpenOption.READ);
          SeekableByteChannel in = asFile ? raw : new NotAFile(raw);
          assertThatThrownBy(() -> crypto.decrypt(key, id, in).close())
              .as("cut at %d, %s", cut, asFile ? "file" : "channel")
              .isInstanceOf(CorruptDataException.class)
              .hasMessageContaining(id.value());
          raw.close();
        }
      }
    }
  }

  /** A channel over a file that does not show it is one. */
  private record NotAFile(SeekableByteChannel in) implements SeekableByteChannel {
    @Override
    public int read(ByteBuffer dst) throws IOException {
      return in.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return in.write(src);
    }

    @Override
    public long position() throws IOException {
      return in.position();
    }

    @Override
    public SeekableByteChannel position(long p) throws IOException {
      in.position(p);
      return this;
    }

    @Override
    public long size() throws IOException {
      return in.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
      in.truncate(size);
      return this;
    }

    @Override
    public boolean isOpen() {
      return in.isOpen();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
