package fr.coffre.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BlobId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copies on several volumes: the durability contract, plus placement and missing-copy reads. */
class PlacedBlobStoreTest extends BlobStoreContract {
  @TempDir Path dir;

  @Override
  protected BlobStore newStore() throws IOException {
    Map<String, BlobStore> volumes = new LinkedHashMap<>();
    for (String v : List.of("a", "b", "c")) {
      volumes.put(v, new FileBlobStore(dir.resolve(v)));
    }
    return new PlacedBlobStore(volumes);
  }

  private BlobId place(byte[] content, List<String> volumes) throws IOException {
    BlobId id = BlobId.random();
    try (BlobWriter w = store.create(id, volumes)) {
      w.write(ByteBuffer.wrap(content));
      w.commit();
    }
    return id;
  }

  @Test
  void aPlacedBlobIsOnItsVolumesOnly() throws IOException {
    BlobId id = place(random(5000), List.of("c", "a"));
    assertThat(store.volumesOf(id)).containsExactly("a", "c");
    assertThat(((PlacedBlobStore) store).volume("b").exists(id)).isFalse();
    assertThat(read(id, 0, 5000)).isEqualTo(random(5000));
  }

  @Test
  void aMissingCopyIsReadFromAnother() throws IOException {
    BlobId id = place(random(3000), List.of("a", "b"));
    Files.delete(Path.of(((PlacedBlobStore) store).volume("a").describe(id)));
    assertThat(store.volumesOf(id)).containsExactly("b");
    assertThat(read(id, 100, 50)).isEqualTo(java.util.Arrays.copyOfRange(random(3000), 100, 150));
  }

  @Test
  void aBlobOnNoVolumeIsAbsent() throws IOException {
    BlobId id = place(random(10), List.of("b"));
    store.delete(id);
    assertThatThrownBy(() -> store.open(id)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void aCopyThatCannotBeCommittedLeavesNoCopyAnywhere() throws IOException {
    BlobId id = BlobId.random();
    BlobWriter w = store.create(id, List.of("a", "b"));
    w.write(ByteBuffer.wrap(random(100)));
    // Volume b's temporary area disappears before the commit.
    try (var files = Files.walk(dir.resolve("b"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    assertThatThrownBy(w::commit).isInstanceOf(IOException.class);
    assertThat(store.volumesOf(id)).isEmpty();
  }

  @Test
  void aCopyToAnotherVolumeIsByteForByte() throws IOException {
    BlobId id = place(random(300_000), List.of("a"));
    store.copy(id, "a", "c");
    assertThat(store.volumesOf(id)).containsExactly("a", "c");
    Files.delete(Path.of(((PlacedBlobStore) store).volume("a").describe(id)));
    assertThat(read(id, 0, 300_000)).isEqualTo(random(300_000));
  }

  @Test
  void anUnknownVolumeIsRefused() {
    assertThatThrownBy(() -> store.create(BlobId.random(), List.of("z")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
