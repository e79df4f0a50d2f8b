package fr.coffre.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BlobId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link BlobStore} must have; an implementation's test extends this. */
public abstract class BlobStoreContract {
  protected BlobStore store;

  protected abstract BlobStore newStore() throws IOException;

  @BeforeEach
  void open() throws IOException {
    store = newStore();
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  protected static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  protected BlobId write(byte[] content, boolean commit) throws IOException {
    BlobId id = BlobId.random();
    try (BlobWriter w = store.create(id)) {
      ByteBuffer b = ByteBuffer.wrap(content);
      while (b.hasRemaining()) {
        w.write(b);
      }
      if (commit) {
        w.commit();
      }
    }
    return id;
  }

  protected byte[] read(BlobId id, long from, int len) throws IOException {
    try (SeekableByteChannel c = store.open(id)) {
      c.position(from);
      ByteBuffer b = ByteBuffer.allocate(len);
      while (b.hasRemaining() && c.read(b) >= 0) {
        // keep reading
      }
      return java.util.Arrays.copyOf(b.array(), b.position());
    }
  }

  @Test
  void open_committedBlob_readsBackAllBytes() throws IOException {
    byte[] content = random(3 * 1024 * 1024 + 17);
    BlobId id = write(content, true);
    assertThat(store.exists(id)).isTrue();
    assertThat(read(id, 0, content.length + 1)).isEqualTo(content);
  }

  @Test
  void open_atPosition_readsFromThere() throws IOException {
    byte[] content = random(100_000);
    BlobId id = write(content, true);
    assertThat(read(id, 70_000, 10))
        .isEqualTo(java.util.Arrays.copyOfRange(content, 70_000, 70_010));
  }

  @Test
  void open_uncommittedBlob_isAbsent() throws IOException {
    BlobId id = BlobId.random();
    try (BlobWriter w = store.create(id)) {
      w.write(ByteBuffer.wrap(random(10)));
      assertThat(store.exists(id)).isFalse();
      assertThatThrownBy(() -> store.open(id)).isInstanceOf(NoSuchFileException.class);
    }
  }

  @Test
  void close_withoutCommit_discardsTheBlob() throws IOException {
    BlobId id = write(random(1000), false);
    assertThat(store.exists(id)).isFalse();
    Set<BlobId> all = new HashSet<>();
    store.forEach(all::add);
    assertThat(all).doesNotContain(id);
  }

  @Test
  void delete_twice_isIdempotent() throws IOException {
    BlobId id = write(random(10), true);
    store.delete(id);
    store.delete(id);
    assertThat(store.exists(id)).isFalse();
    assertThatThrownBy(() -> store.open(id)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void forEach_listsExactlyTheCommittedBlobs() throws IOException {
    Set<BlobId> committed = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      committed.add(write(random(i), true));
      write(random(i), false);
    }
    BlobId deleted = write(random(5), true);
    store.delete(deleted);
    Set<BlobId> seen = new HashSet<>();
    store.forEach(seen::add);
    assertThat(seen).isEqualTo(committed);
  }

  @Test
  void removeTemporaries_afterAbandonedWriter_keepsCommittedBlobs() throws IOException {
    BlobId kept = write(random(10), true);
    BlobWriter abandoned = store.create(BlobId.random());
    abandoned.write(ByteBuffer.wrap(random(10)));
    store.removeTemporaries();
    assertThat(store.exists(kept)).isTrue();
  }
}
