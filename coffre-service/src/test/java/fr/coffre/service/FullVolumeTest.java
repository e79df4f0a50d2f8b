package fr.coffre.service;

import static fr.coffre.service.ServiceFixture.randomBytes;
import static fr.coffre.service.ServiceFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BucketName;
import fr.coffre.core.NoSuchKeyException;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.PlacementRefusedException;
import fr.coffre.core.WriteCondition;
import fr.coffre.service.MultipartService.CompletedPart;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A volume with nothing left above its free-space reserve (placement sees 0 bytes): every write —
 * PUT, copy, part, completion — is refused before a byte is written, as {@code FULL}; reads,
 * listings and deletes go on; writes come back as soon as space does, without reopening anything.
 */
class FullVolumeTest {
  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;
  private BucketName bucket;

  @BeforeEach
  void open() {
    f = ServiceFixture.open(dir);
    bucket = f.bucket("archives");
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private static void assertFull(Runnable write) {
    assertThatThrownBy(write::run)
        .isInstanceOfSatisfying(
            PlacementRefusedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(PlacementRefusedException.Reason.FULL);
              assertThat(e.permanent()).isFalse();
              assertThat(e.getMessage()).contains("archives").contains("reserve");
            });
  }

  @Test
  void writes_onAFullVolume_areRefusedBeforeAnyBlob_whileReadsAndDeletesGoOn() {
    f.put(bucket, "kept", utf8("avant"));
    f.put(bucket, "doomed", utf8("à effacer"));
    byte[] part = randomBytes((int) MultipartService.MIN_PART_SIZE, 7);
    String upload =
        f.multipart.create(bucket, new ObjectKey("big"), ObjectAttributes.EMPTY, null, null);
    var etag =
        f.multipart.uploadPart(
            bucket,
            new ObjectKey("big"),
            upload,
            1,
            new ByteArrayInputStream(part),
            null,
            null,
            null);
    int blobs = f.blobFiles().size();

    f.volumeSpace = 0L;

    assertFull(() -> f.put(bucket, "new", utf8("refusé")));
    assertFull(
        () ->
            f.objects.copy(
                bucket,
                new ObjectKey("kept"),
                ReadConditions.NONE,
                null,
                bucket,
                new ObjectKey("copy"),
                a -> a,
                WriteCondition.NONE,
                null,
                null));
    assertFull(
        () ->
            f.multipart.uploadPart(
                bucket,
                new ObjectKey("big"),
                upload,
                2,
                new ByteArrayInputStream(part),
                null,
                null,
                null));
    assertFull(
        () ->
            f.multipart.complete(
                bucket,
                new ObjectKey("big"),
                upload,
                List.of(new CompletedPart(1, etag.quoted())),
                WriteCondition.NONE,
                null,
                null,
                null));
    assertThat(f.blobFiles()).hasSize(blobs);

    assertThat(f.read(bucket, "kept")).isEqualTo(utf8("avant"));
    f.objects.delete(bucket, new ObjectKey("doomed"));
    assertThatThrownBy(() -> f.read(bucket, "doomed")).isInstanceOf(NoSuchKeyException.class);
    f.multipart.abort(bucket, new ObjectKey("big"), upload);

    f.volumeSpace = null; // space freed: the next write goes through
    f.put(bucket, "new", utf8("accepté"));
    assertThat(f.read(bucket, "new")).isEqualTo(utf8("accepté"));
  }
}
