package fr.coffre.storage;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.core.BlobId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest extends BlobStoreContract {
  @TempDir Path dir;

  @Override
  protected BlobStore newStore() throws IOException {
    return new FileBlobStore(dir.resolve("volume"));
  }

  @Test
  void commit_placesOwnerOnlyFileUnderFanOutDirectories() throws IOException {
    BlobId id = write(random(10), true);
    Path file = Path.of(store.describe(id));
    assertThat(file).startsWith(dir.resolve("volume/blobs").resolve(id.value().substring(0, 2)));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void removeTemporaries_afterCrashedWriter_emptiesTmp() throws IOException {
    BlobWriter crashed = store.create(BlobId.random());
    crashed.write(ByteBuffer.wrap(random(100)));
    // A crash: the writer is never closed. A new store on the same directory cleans up.
    BlobStore reopened = new FileBlobStore(dir.resolve("volume"));
    reopened.removeTemporaries();
    try (Stream<Path> tmp = Files.list(dir.resolve("volume/tmp"))) {
      assertThat(tmp.count()).isZero();
    }
  }
}
