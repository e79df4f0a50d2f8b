package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.core.BlobId;
import fr.coffre.core.BucketName;
import fr.coffre.storage.BlobWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The orphan sweep of a running node: only unreferenced blobs older than the cutoff go. */
class BlobJanitorTest {
  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;

  @BeforeEach
  void open() {
    f = ServiceFixture.open(dir);
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private Path orphan(String id, Instant committed) throws Exception {
    BlobId blob = new BlobId(id);
    try (BlobWriter w = f.blobs.create(blob)) {
      w.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
      w.commit();
    }
    Path file =
        f.blobFiles().stream()
            .filter(p -> p.getFileName().toString().equals(id))
            .findFirst()
            .orElseThrow();
    Files.setLastModifiedTime(file, FileTime.from(committed));
    return file;
  }

  @Test
  void collectCommittedBefore_deletesOldOrphansOnly_keepsReferencedAndYoungBlobs()
      throws Exception {
    BucketName bucket = f.bucket("archives");
    f.put(bucket, "kept", new byte[] {42});
    List<Path> referenced = f.blobFiles();
    Instant now = Instant.now();
    for (Path p : referenced) {
      Files.setLastModifiedTime(p, FileTime.from(now.minus(Duration.ofDays(2))));
    }
    Path old = orphan("0123456789abcdef0123456789abcdef", now.minus(Duration.ofHours(3)));
    Path young = orphan("fedcba9876543210fedcba9876543210", now.minus(Duration.ofMinutes(5)));

    int collected =
        new BlobJanitor(f.metadata, f.blobs).collectCommittedBefore(now.minus(Duration.ofHours(1)));

    assertThat(collected).isEqualTo(1);
    assertThat(old).doesNotExist();
    assertThat(young).exists();
    assertThat(referenced).allMatch(Files::exists);
    assertThat(f.read(bucket, "kept")).containsExactly(42);
  }

  @Test
  void collect_keepsTheListedUnreferencedBlobs_andUnreferencedListsThemWithoutDeleting()
      throws Exception {
    BucketName bucket = f.bucket("archives");
    f.put(bucket, "kept", new byte[] {42});
    Instant now = Instant.now();
    Path listed = orphan("0123456789abcdef0123456789abcdef", now);
    Path other = orphan("fedcba9876543210fedcba9876543210", now);
    BlobJanitor janitor = new BlobJanitor(f.metadata, f.blobs);

    assertThat(janitor.unreferenced())
        .containsExactlyInAnyOrder(
            new BlobId("0123456789abcdef0123456789abcdef"),
            new BlobId("fedcba9876543210fedcba9876543210"));
    assertThat(listed).exists();
    assertThat(other).exists();

    int collected = janitor.collect(Set.of(new BlobId("0123456789abcdef0123456789abcdef")));

    assertThat(collected).isEqualTo(1);
    assertThat(listed).exists();
    assertThat(other).doesNotExist();
    assertThat(f.read(bucket, "kept")).containsExactly(42);
  }
}
