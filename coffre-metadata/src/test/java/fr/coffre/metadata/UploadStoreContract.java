package fr.coffre.metadata;

import static fr.coffre.metadata.TestRecords.object;
import static fr.coffre.metadata.TestRecords.tag;
import static fr.coffre.metadata.TestRecords.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BlobId;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.ETag;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.NoSuchUploadException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.PartRecord;
import fr.coffre.core.PreconditionFailedException;
import fr.coffre.core.UploadRecord;
import fr.coffre.core.WriteCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link UploadStore} must have; an implementation's test extends this. */
public abstract class UploadStoreContract {
  private static final BucketName B = new BucketName("bucket-one");
  private static final BucketName B2 = new BucketName("bucket-two");
  protected MetadataStore store;

  /** A new, empty store; the contract closes it after each test. */
  protected abstract MetadataStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    store.createBucket(new BucketRecord(B, Instant.parse("2026-01-01T00:00:00Z"), "us-east-1"));
    store.createBucket(new BucketRecord(B2, Instant.parse("2026-01-01T00:00:00Z"), "us-east-1"));
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private static PartRecord part(String uploadId, int number, int etag) {
    return new PartRecord(
        uploadId,
        number,
        new BlobSlice(BlobId.random(), 5),
        new ETag(tag(etag)),
        Instant.ofEpochMilli(2000),
        null);
  }

  @Test
  void createUpload_thenRead_isFoundInItsBucketOnly() {
    UploadRecord u = upload(B, tag(1), "big", 1000);
    store.createUpload(u);
    assertThat(store.upload(B, tag(1)))
        .hasValueSatisfying(
            read -> {
              assertThat(read.uploadId()).isEqualTo(u.uploadId());
              assertThat(read.key()).isEqualTo(u.key());
              assertThat(read.initiated()).isEqualTo(u.initiated());
              assertThat(read.keyRef()).isEqualTo(u.keyRef());
              assertThat(read.wrappedKey()).isEqualTo(u.wrappedKey());
              assertThat(read.sealedAttributes()).isEqualTo(u.sealedAttributes());
            });
    assertThat(store.upload(B2, tag(1))).isEmpty();
    assertThat(store.upload(B, tag(2))).isEmpty();
  }

  @Test
  void createUpload_absentBucket_isNoSuchBucket() {
    assertThatThrownBy(
            () -> store.createUpload(upload(new BucketName("absent-bucket"), tag(1), "k", 1000)))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void putPart_sameNumberAgain_replacesAndReturnsThePrevious() {
    store.createUpload(upload(B, tag(1), "big", 1000));
    PartRecord first = part(tag(1), 1, 1);
    PartRecord again = part(tag(1), 1, 2);
    PartRecord second = part(tag(1), 2, 3);
    assertThat(store.putPart(first)).isEmpty();
    assertThat(store.putPart(second)).isEmpty();
    assertThat(store.putPart(again)).contains(first);
    assertThat(store.parts(tag(1), 0, 10)).containsExactly(again, second);
    assertThat(store.parts(tag(1), 1, 10)).containsExactly(second);
    assertThat(store.parts(tag(1), 0, 1)).containsExactly(again);
  }

  @Test
  void putPart_absentUpload_isNoSuchUpload() {
    assertThatThrownBy(() -> store.putPart(part(tag(9), 1, 1)))
        .isInstanceOf(NoSuchUploadException.class);
  }

  @Test
  void abortUpload_withParts_removesItAndReturnsThem() {
    store.createUpload(upload(B, tag(1), "big", 1000));
    PartRecord part = part(tag(1), 1, 1);
    store.putPart(part);
    assertThatThrownBy(() -> store.abortUpload(B2, tag(1)))
        .isInstanceOf(NoSuchUploadException.class);
    assertThat(store.abortUpload(B, tag(1))).containsExactly(part);
    assertThat(store.upload(B, tag(1))).isEmpty();
    assertThat(store.parts(tag(1), 0, 10)).isEmpty();
    assertThatThrownBy(() -> store.abortUpload(B, tag(1)))
        .isInstanceOf(NoSuchUploadException.class);
  }

  @Test
  void uploads_prefixAndMarkers_orderedByKeyThenInitiation() {
    store.createUpload(upload(B, tag(1), "a/2", 3000));
    store.createUpload(upload(B, tag(3), "a/1", 2000));
    store.createUpload(upload(B, tag(2), "a/1", 1000));
    store.createUpload(upload(B, tag(4), "b", 1000));
    store.createUpload(upload(B2, tag(5), "a/0", 1000));
    assertThat(store.uploads(B, null, null, null, 10))
        .extracting(UploadRecord::uploadId)
        .containsExactly(tag(2), tag(3), tag(1), tag(4));
    assertThat(store.uploads(B, "a/", null, null, 10))
        .extracting(UploadRecord::uploadId)
        .containsExactly(tag(2), tag(3), tag(1));
    // One more than asked for, so the caller can tell the listing is truncated.
    assertThat(store.uploads(B, "a/", null, null, 1))
        .extracting(UploadRecord::uploadId)
        .containsExactly(tag(2), tag(3));
    assertThat(store.uploads(B, null, "a/1", null, 10))
        .extracting(UploadRecord::uploadId)
        .containsExactly(tag(1), tag(4));
    assertThat(store.uploads(B, null, "a/1", tag(2), 10))
        .extracting(UploadRecord::uploadId)
        .containsExactly(tag(3), tag(1), tag(4));
  }

  @Test
  void uploadsInitiatedBefore_severalBuckets_oldestFirst() {
    store.createUpload(upload(B, tag(1), "new", 5_000));
    store.createUpload(upload(B, tag(2), "old", 1_000));
    store.createUpload(upload(B2, tag(3), "x", 2_000));
    assertThat(store.uploadsInitiatedBefore(Instant.ofEpochMilli(4_000), 10))
        .extracting(UploadRecord::uploadId)
        .containsExactly(tag(2), tag(3));
    assertThat(store.uploadsInitiatedBefore(Instant.ofEpochMilli(4_000), 1))
        .extracting(UploadRecord::uploadId)
        .containsExactly(tag(2));
  }

  @Test
  void completeUpload_untilForgotten_isRemembered() {
    store.createUpload(upload(B, tag(0xc1), "done", 1000));
    ObjectRecord object = object(B, "done", tag(7));
    store.completeUpload(tag(0xc1), object, WriteCondition.NONE);
    assertThat(store.upload(B, tag(0xc1))).isEmpty();
    assertThat(store.completedUpload(B, new ObjectKey("done"), tag(0xc1)))
        .contains(new ETag(tag(7)));
    assertThat(store.completedUpload(B, new ObjectKey("other"), tag(0xc1))).isEmpty();
    assertThat(store.forgetCompletedUploads(object.lastModified())).isZero();
    assertThat(store.forgetCompletedUploads(object.lastModified().plusMillis(1))).isEqualTo(1);
    assertThat(store.completedUpload(B, new ObjectKey("done"), tag(0xc1))).isEmpty();
  }

  @Test
  void completeUpload_overExistingObject_replacesItAndRemovesTheParts() {
    ObjectRecord old = object(B, "done", tag(1));
    store.putObject(old, WriteCondition.NONE);
    store.createUpload(upload(B, tag(0xc1), "done", 1000));
    store.putPart(part(tag(0xc1), 1, 2));
    ObjectRecord completed = object(B, "done", tag(7));
    assertThat(store.completeUpload(tag(0xc1), completed, WriteCondition.NONE).replaced())
        .contains(old);
    assertThat(store.object(B, new ObjectKey("done"))).contains(completed);
    assertThat(store.parts(tag(0xc1), 0, 10)).isEmpty();
  }

  @Test
  void completeUpload_conditionFails_changesNothing() {
    ObjectRecord old = object(B, "done", tag(1));
    store.putObject(old, WriteCondition.NONE);
    store.createUpload(upload(B, tag(0xc1), "done", 1000));
    PartRecord part = part(tag(0xc1), 1, 2);
    store.putPart(part);
    assertThatThrownBy(
            () ->
                store.completeUpload(
                    tag(0xc1), object(B, "done", tag(7)), new WriteCondition(true, null)))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(store.object(B, new ObjectKey("done"))).contains(old);
    assertThat(store.upload(B, tag(0xc1))).isPresent();
    assertThat(store.parts(tag(0xc1), 0, 10)).containsExactly(part);
    assertThat(store.completedUpload(B, new ObjectKey("done"), tag(0xc1))).isEmpty();
  }

  @Test
  void completeUpload_racing_exactlyOneCompletes() throws Exception {
    store.createUpload(upload(B, tag(0xc1), "done", 1000));
    store.putPart(part(tag(0xc1), 1, 2));
    List<ObjectRecord> attempts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      attempts.add(object(B, "done", tag(i)));
    }
    List<Racing.Outcome<ObjectStore.Written>> outcomes =
        Racing.race(
            8, i -> () -> store.completeUpload(tag(0xc1), attempts.get(i), WriteCondition.NONE));
    assertThat(outcomes).filteredOn(Racing.Outcome::ok).hasSize(1);
    assertThat(outcomes)
        .filteredOn(o -> !o.ok())
        .allMatch(o -> o.error() instanceof NoSuchUploadException);
    ObjectRecord winner =
        attempts.get(
            outcomes.indexOf(
                outcomes.stream().filter(Racing.Outcome::ok).findFirst().orElseThrow()));
    assertThat(store.object(B, new ObjectKey("done"))).contains(winner);
  }

  @Test
  void putPart_racingSameNumber_returnsEachReplacedPartOnce() throws Exception {
    store.createUpload(upload(B, tag(1), "big", 1000));
    List<PartRecord> written = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      written.add(part(tag(1), 1, i));
    }
    List<Racing.Outcome<Optional<PartRecord>>> outcomes =
        Racing.race(8, i -> () -> store.putPart(written.get(i)));
    assertThat(outcomes).allMatch(Racing.Outcome::ok);
    List<PartRecord> versions = new ArrayList<>();
    outcomes.forEach(o -> o.value().ifPresent(versions::add));
    versions.addAll(store.parts(tag(1), 0, 10));
    assertThat(versions).containsExactlyInAnyOrderElementsOf(written);
  }

  @Test
  void completeUpload_absentUpload_isNoSuchUpload() {
    assertThatThrownBy(
            () -> store.completeUpload(tag(9), object(B, "k", tag(1)), WriteCondition.NONE))
        .isInstanceOf(NoSuchUploadException.class);
    assertThat(store.object(B, new ObjectKey("k"))).isEmpty();
  }
}
