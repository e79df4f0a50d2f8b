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
import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.PartRecord;
import fr.coffre.core.PreconditionFailedException;
import fr.coffre.core.Usage;
import fr.coffre.core.WriteCondition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link ObjectStore} must have; an implementation's test extends this. */
public abstract class ObjectStoreContract {
  protected static final BucketName B = new BucketName("bucket-one");
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

  protected static ObjectRecord record(String key, String etagHex) {
    return object(B, key, etagHex);
  }

  @Test
  void putObject_overwrite_returnsPreviousAndReadsNew() {
    ObjectRecord first = record("k", tag(1));
    ObjectRecord second = record("k", tag(2));
    assertThat(store.putObject(first, WriteCondition.NONE).replaced()).isEmpty();
    assertThat(store.putObject(second, WriteCondition.NONE).replaced()).contains(first);
    assertThat(store.object(B, new ObjectKey("k"))).contains(second);
  }

  @Test
  void putObject_conditions_holdOrFail() {
    store.putObject(record("k", tag(1)), WriteCondition.NONE);
    assertThatThrownBy(() -> store.putObject(record("k", tag(2)), new WriteCondition(true, null)))
        .isInstanceOf(PreconditionFailedException.class);
    assertThatThrownBy(
            () -> store.putObject(record("k", tag(2)), new WriteCondition(false, new ETag(tag(9)))))
        .isInstanceOf(PreconditionFailedException.class);
    store.putObject(record("k", tag(3)), new WriteCondition(false, new ETag(tag(1))));
    assertThat(store.object(B, new ObjectKey("k")).orElseThrow().etag())
        .isEqualTo(new ETag(tag(3)));
  }

  @Test
  void putObject_racingCreateOnly_exactlyOneWins() throws Exception {
    int writers = 8;
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger wins = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      int n = i;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      start.await();
                      store.putObject(record("race", tag(n)), new WriteCondition(true, null));
                      wins.incrementAndGet();
                    } catch (PreconditionFailedException e) {
                      // lost the race
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(wins).hasValue(1);
  }

  @Test
  void putObject_racingOverwrites_allSucceedAndReturnEachReplacedVersionOnce() throws Exception {
    int writers = 8;
    List<ObjectRecord> written = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      written.add(record("hot", tag(i)));
    }
    List<Racing.Outcome<ObjectStore.Written>> outcomes =
        Racing.race(writers, i -> () -> store.putObject(written.get(i), WriteCondition.NONE));
    assertThat(outcomes).allMatch(Racing.Outcome::ok);
    // Every version but the current one was replaced exactly once, so exactly one caller reclaims
    // its blobs.
    List<ObjectRecord> versions = new ArrayList<>();
    outcomes.forEach(o -> o.value().replaced().ifPresent(versions::add));
    versions.add(store.object(B, new ObjectKey("hot")).orElseThrow());
    assertThat(versions).containsExactlyInAnyOrderElementsOf(written);
    assertThat(store.bucketUsage(B)).isEqualTo(new Usage(1, 3));
  }

  @Test
  void list_manyQueries_matchReferenceModel() {
    List<String> keys = new ArrayList<>();
    Random r = new Random(42);
    String[] parts = {"a", "b", "é", "ü/", "/", "x/y", "😀", "~", "+", " ", "z/", "a/", "a/b/"};
    for (int i = 0; i < 600; i++) {
      StringBuilder k = new StringBuilder();
      int n = 1 + r.nextInt(5);
      for (int j = 0; j < n; j++) {
        k.append(parts[r.nextInt(parts.length)]);
      }
      keys.add(k.toString());
    }
    TreeSet<String> model = new TreeSet<>((x, y) -> Arrays.compareUnsigned(utf8(x), utf8(y)));
    for (int i = 0; i < keys.size(); i++) {
      if (model.add(keys.get(i))) {
        store.putObject(record(keys.get(i), tag(i)), WriteCondition.NONE);
      }
    }
    for (String prefix : new String[] {"", "a", "a/", "ü/", "x", "nothing"}) {
      for (String delimiter : new String[] {null, "/", "b/", "é"}) {
        for (int max : new int[] {1, 7, 1000}) {
          assertThat(paginate(prefix, delimiter, max))
              .as("prefix=%s delimiter=%s max=%d", prefix, delimiter, max)
              .isEqualTo(expected(model, prefix, delimiter));
        }
      }
    }
  }

  /** All entries (keys, and common prefixes marked with a trailing "|CP") by following pages. */
  private List<String> paginate(String prefix, String delimiter, int max) {
    List<String> out = new ArrayList<>();
    String after = null;
    for (int guard = 0; guard < 10_000; guard++) {
      ListPage page = store.list(B, new ListQuery(prefix, delimiter, after, max));
      List<String> entries = new ArrayList<>();
      page.objects().forEach(o -> entries.add(o.key().value()));
      page.commonPrefixes().forEach(p -> entries.add(p + "|CP"));
      entries.sort(
          (x, y) -> Arrays.compareUnsigned(utf8(x.replace("|CP", "")), utf8(y.replace("|CP", ""))));
      assertThat(entries.size()).isLessThanOrEqualTo(max);
      out.addAll(entries);
      if (!page.truncated()) {
        return out;
      }
      after = page.last();
    }
    throw new AssertionError("listing does not end");
  }

  private static List<String> expected(TreeSet<String> model, String prefix, String delimiter) {
    List<String> out = new ArrayList<>();
    String lastCp = null;
    for (String k : model) {
      if (!k.startsWith(prefix)) {
        continue;
      }
      int at = delimiter == null ? -1 : k.indexOf(delimiter, prefix.length());
      if (at >= 0) {
        String cp = k.substring(0, at + delimiter.length());
        if (!cp.equals(lastCp)) {
          out.add(cp + "|CP");
          lastCp = cp;
        }
      } else {
        out.add(k);
      }
    }
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void forEachReferencedBlob_severalObjects_listsEachBlob() {
    ObjectRecord a = record("a", tag(1));
    ObjectRecord b = record("b", tag(2));
    store.putObject(a, WriteCondition.NONE);
    store.putObject(b, WriteCondition.NONE);
    List<BlobId> seen = new ArrayList<>();
    store.forEachReferencedBlob(seen::add);
    assertThat(seen).containsExactlyInAnyOrder(a.blobs().get(0).blob(), b.blobs().get(0).blob());
  }

  @Test
  void deleteObject_absent_returnsEmpty() {
    assertThat(store.deleteObject(B, new ObjectKey("nothing"), Instant.EPOCH))
        .isEqualTo(ObjectStore.Removal.NOTHING);
  }

  @Test
  void replaceAttributes_currentOrReplacedVersion_changesOnlyTheCurrent() {
    ObjectRecord first = record("k", tag(1));
    store.putObject(first, WriteCondition.NONE);
    assertThat(store.replaceAttributes(first, new byte[] {7, 7})).isTrue();
    ObjectRecord read = store.object(B, new ObjectKey("k")).orElseThrow();
    assertThat(read.sealedAttributes()).containsExactly(7, 7);
    assertThat(read.blobs()).isEqualTo(first.blobs());
    assertThat(read.lastModified()).isEqualTo(first.lastModified());
    // Same ETag, other content blob: a newer version that must not take the old one's attributes.
    ObjectRecord second = record("k", tag(1));
    store.putObject(second, WriteCondition.NONE);
    assertThat(store.replaceAttributes(first, new byte[] {5})).isFalse();
    assertThat(store.object(B, new ObjectKey("k")).orElseThrow().sealedAttributes())
        .containsExactly(9);
    store.deleteObject(B, new ObjectKey("k"), Instant.EPOCH);
    assertThat(store.replaceAttributes(second, new byte[] {5})).isFalse();
  }

  @Test
  void deleteObject_present_returnsItAndRemovesIt() {
    ObjectRecord first = record("k", tag(1));
    store.putObject(first, WriteCondition.NONE);
    assertThat(store.deleteObject(B, new ObjectKey("k"), Instant.EPOCH).removed()).contains(first);
    assertThat(store.object(B, new ObjectKey("k"))).isEmpty();
  }

  @Test
  void putObject_absentBucket_isNoSuchBucketAndWritesNothing() {
    ObjectRecord elsewhere = object(new BucketName("absent-bucket"), "k", tag(1));
    assertThatThrownBy(() -> store.putObject(elsewhere, WriteCondition.NONE))
        .isInstanceOf(NoSuchBucketException.class);
    assertThatThrownBy(() -> store.object(elsewhere.bucket(), elsewhere.key()))
        .isInstanceOf(NoSuchBucketException.class);
    List<BlobId> seen = new ArrayList<>();
    store.forEachReferencedBlob(seen::add);
    assertThat(seen).isEmpty();
  }

  @Test
  void forEachReferencedBlob_withUploadParts_listsTheirBlobsToo() {
    ObjectRecord a = record("a", tag(1));
    store.putObject(a, WriteCondition.NONE);
    store.createUpload(upload(B, tag(0xa1), "big", 1000));
    PartRecord part =
        new PartRecord(
            tag(0xa1),
            1,
            new BlobSlice(BlobId.random(), 5),
            new ETag(tag(3)),
            Instant.ofEpochMilli(2000),
            null);
    store.putPart(part);
    List<BlobId> seen = new ArrayList<>();
    store.forEachReferencedBlob(seen::add);
    assertThat(seen).containsExactlyInAnyOrder(a.blobs().get(0).blob(), part.blob().blob());
  }
}
