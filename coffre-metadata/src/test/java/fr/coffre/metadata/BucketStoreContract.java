package fr.coffre.metadata;

import static fr.coffre.metadata.TestRecords.object;
import static fr.coffre.metadata.TestRecords.tag;
import static fr.coffre.metadata.TestRecords.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BlobId;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketAlreadyOwnedException;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketNotEmptyException;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.ETag;
import fr.coffre.core.ListQuery;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.PartRecord;
import fr.coffre.core.WriteCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link BucketStore} must have; an implementation's test extends this. */
public abstract class BucketStoreContract {
  private static final BucketName B = new BucketName("bucket-one");
  private static final BucketName ABSENT = new BucketName("absent-bucket");
  protected MetadataStore store;

  /** A new, empty store; the contract closes it after each test. */
  protected abstract MetadataStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    store.createBucket(new BucketRecord(B, Instant.parse("2026-01-01T00:00:00Z"), "us-east-1"));
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  @Test
  void createBucket_withSensitivityClass_keepsItUntilReclassified() {
    BucketName sensitive = new BucketName("dossiers-patients");
    store.createBucket(
        new BucketRecord(sensitive, Instant.now(), "us-east-1", "default", null, "health"));
    assertThat(store.bucket(sensitive).orElseThrow().sensitivityClass()).isEqualTo("health");
    assertThat(store.bucket(B).orElseThrow().sensitivityClass())
        .isEqualTo(BucketRecord.DEFAULT_CLASS);
    store.setBucketClass(sensitive, "sensitive");
    assertThat(store.bucket(sensitive).orElseThrow().sensitivityClass()).isEqualTo("sensitive");
    assertThatThrownBy(() -> store.setBucketClass(ABSENT, "public"))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void createBucket_twice_isAlreadyOwned() {
    assertThatThrownBy(() -> store.createBucket(new BucketRecord(B, Instant.now(), "us-east-1")))
        .isInstanceOf(BucketAlreadyOwnedException.class);
  }

  @Test
  void createBucket_thenRead_keepsEveryField() {
    BucketRecord other =
        new BucketRecord(
            new BucketName("bucket-two"),
            Instant.ofEpochMilli(1_700_000_000_123L),
            "eu-west-3",
            "default",
            null,
            "internal");
    store.createBucket(other);
    assertThat(store.bucket(other.name())).contains(other);
    assertThat(store.bucket(ABSENT)).isEmpty();
  }

  @Test
  void buckets_several_areOrderedByName() {
    store.createBucket(new BucketRecord(new BucketName("zeta"), Instant.now(), "us-east-1"));
    store.createBucket(new BucketRecord(new BucketName("alpha"), Instant.now(), "us-east-1"));
    assertThat(store.buckets())
        .extracting(b -> b.name().value())
        .containsExactly("alpha", B.value(), "zeta");
  }

  @Test
  void deleteBucket_nonEmpty_isRefusedThenEmptySucceeds() {
    store.putObject(object(B, "k", tag(1)), WriteCondition.NONE);
    assertThatThrownBy(() -> store.deleteBucket(B)).isInstanceOf(BucketNotEmptyException.class);
    store.deleteObject(B, new ObjectKey("k"), Instant.EPOCH);
    store.deleteBucket(B);
    assertThat(store.bucket(B)).isEmpty();
    assertThatThrownBy(() -> store.object(B, new ObjectKey("k")))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void deleteBucket_racingPuts_leavesNoObjectWithoutItsBucket() throws Exception {
    List<Racing.Outcome<Object>> outcomes =
        Racing.race(
            9,
            i ->
                () -> {
                  if (i == 0) {
                    return store.deleteBucket(B);
                  }
                  return store.putObject(object(B, "k" + i, tag(i)), WriteCondition.NONE);
                });
    // Each failure is the domain's (never a broken reference): the put came after the deletion,
    // or the deletion after a put.
    for (int i = 1; i < outcomes.size(); i++) {
      assertThat(outcomes.get(i).ok() || outcomes.get(i).error() instanceof NoSuchBucketException)
          .as("put %d: %s", i, outcomes.get(i).error())
          .isTrue();
    }
    long stored = outcomes.stream().skip(1).filter(Racing.Outcome::ok).count();
    if (outcomes.get(0).ok()) {
      assertThat(stored).isZero();
      assertThat(store.bucket(B)).isEmpty();
    } else {
      assertThat(outcomes.get(0).error()).isInstanceOf(BucketNotEmptyException.class);
      assertThat(store.list(B, new ListQuery("", null, null, 100)).objects()).hasSize((int) stored);
    }
  }

  @Test
  void deleteBucket_absent_isNoSuchBucket() {
    assertThatThrownBy(() -> store.deleteBucket(ABSENT)).isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void deleteBucket_withUploadsInProgress_removesThemAndReturnsTheirParts() {
    store.createUpload(upload(B, tag(0xa1), "big", 1000));
    PartRecord part =
        new PartRecord(
            tag(0xa1),
            1,
            new BlobSlice(BlobId.random(), 5),
            new ETag(tag(3)),
            Instant.ofEpochMilli(2000),
            "AAAAAA==");
    store.putPart(part);
    assertThat(store.parts(tag(0xa1), 0, 10)).containsExactly(part);
    assertThat(store.deleteBucket(B)).containsExactly(part);
    assertThat(store.bucket(B)).isEmpty();
    List<BlobId> seen = new ArrayList<>();
    store.forEachReferencedBlob(seen::add);
    assertThat(seen).isEmpty();
  }

  @Test
  void bucketSettings_setReplaceRemove_andGoWithTheBucket() {
    assertThat(store.bucketSetting(B, "cors")).isEmpty();
    store.putBucketSetting(B, "cors", "<a/>");
    store.putBucketSetting(B, "cors", "<b/>");
    store.putBucketSetting(B, "tagging", "<t/>");
    assertThat(store.bucketSetting(B, "cors")).contains("<b/>");
    store.putBucketSetting(B, "cors", null);
    assertThat(store.bucketSetting(B, "cors")).isEmpty();
    assertThat(store.bucketSetting(B, "tagging")).contains("<t/>");
    store.deleteBucket(B);
    store.createBucket(new BucketRecord(B, Instant.now(), "us-east-1"));
    assertThat(store.bucketSetting(B, "tagging")).isEmpty();
    BucketName other = new BucketName("no-such-bucket");
    assertThatThrownBy(() -> store.putBucketSetting(other, "cors", "x"))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void bucketSetting_absentBucket_isNoSuchBucket() {
    assertThatThrownBy(() -> store.bucketSetting(ABSENT, "cors"))
        .isInstanceOf(NoSuchBucketException.class);
  }
}
