package fr.coffre.metadata;

import static fr.coffre.metadata.TestRecords.object;
import static fr.coffre.metadata.TestRecords.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.BlobId;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketNotEmptyException;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.DeleteMarker;
import fr.coffre.core.DeleteMarkerException;
import fr.coffre.core.ListQuery;
import fr.coffre.core.LockState;
import fr.coffre.core.NoSuchVersionException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectLockException;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.ObjectVersion;
import fr.coffre.core.Quota;
import fr.coffre.core.RetentionMode;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.Usage;
import fr.coffre.core.VersionPage;
import fr.coffre.core.VersionQuery;
import fr.coffre.core.Versioning;
import fr.coffre.core.WriteCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How every {@link ObjectStore} keeps versions, delete markers and Object Lock. */
public abstract class VersionStoreContract {
  protected static final BucketName B = new BucketName("versioned");
  protected static final BucketName LOCKED = new BucketName("locked");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final ObjectKey K = new ObjectKey("k");

  protected MetadataStore store;

  /** A new, empty store; the contract closes it after each test. */
  protected abstract MetadataStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    store.createBucket(new BucketRecord(B, T0, "us-east-1"));
    store.createBucket(
        new BucketRecord(
            LOCKED,
            T0,
            "us-east-1",
            TenantRecord.DEFAULT,
            Quota.NONE,
            BucketRecord.DEFAULT_CLASS,
            Versioning.ENABLED,
            true));
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private ObjectRecord put(BucketName bucket, String key, int tag) {
    return store.putObject(object(bucket, key, tag(tag)), WriteCondition.NONE).stored();
  }

  private List<String> versionsOf(BucketName bucket) {
    return store
        .listVersions(bucket, new VersionQuery("", null, null, null, 1000))
        .versions()
        .stream()
        .map(
            e ->
                e.version().key().value() + ":" + e.version().versionId() + (e.latest() ? "*" : ""))
        .toList();
  }

  @Test
  void newBucket_isUnversioned_andObjectsHaveTheNullVersion() {
    assertThat(store.bucket(B).orElseThrow().versioning()).isEqualTo(Versioning.UNVERSIONED);
    ObjectRecord a = put(B, "k", 1);
    assertThat(a.versionId()).isEqualTo(ObjectVersion.NULL_ID);
    ObjectRecord b = put(B, "k", 2);
    assertThat(versionsOf(B)).containsExactly("k:null*");
    assertThat(store.version(B, K, "null")).contains(b);
  }

  @Test
  void enabled_eachPutAddsAVersion_newestFirst_currentIsTheNewest() {
    ObjectRecord before = put(B, "k", 1);
    store.setVersioning(B, Versioning.ENABLED);
    ObjectRecord v1 = put(B, "k", 2);
    ObjectRecord v2 = put(B, "k", 3);
    assertThat(Set.of(v1.versionId(), v2.versionId())).hasSize(2).doesNotContain("null");
    assertThat(store.object(B, K)).contains(v2);
    assertThat(versionsOf(B))
        .containsExactly("k:" + v2.versionId() + "*", "k:" + v1.versionId(), "k:null");
    assertThat(store.version(B, K, "null")).contains(before);
    assertThat(store.version(B, K, v1.versionId())).contains(v1);
    assertThat(store.version(B, K, "nope")).isEmpty();
    assertThat(store.bucketUsage(B)).isEqualTo(new Usage(3, 9));
  }

  private static final AccessControlList PUBLIC_READ =
      new AccessControlList(
          AccessControlList.Grantee.user("a".repeat(64), "owner"),
          List.of(
              new AccessControlList.Grant(
                  AccessControlList.Grantee.user("a".repeat(64), "owner"),
                  AccessControlList.Permission.FULL_CONTROL),
              new AccessControlList.Grant(
                  AccessControlList.Grantee.of(AccessControlList.Group.ALL_USERS),
                  AccessControlList.Permission.READ)));

  @Test
  void acl_isKeptPerVersion_movesWithItsVersion_andIsRefusedOnMarkers() {
    store.setVersioning(B, Versioning.ENABLED);
    ObjectRecord v1 =
        store.putObject(object(B, "k", tag(1)).withAcl(PUBLIC_READ), WriteCondition.NONE).stored();
    assertThat(store.object(B, K).orElseThrow().acl()).isEqualTo(PUBLIC_READ);
    ObjectRecord v2 = put(B, "k", 2);
    assertThat(v2.acl()).isNull();
    assertThat(store.version(B, K, v1.versionId()))
        .hasValueSatisfying(v -> assertThat(((ObjectRecord) v).acl()).isEqualTo(PUBLIC_READ));
    assertThat(store.setAcl(B, K, v1.versionId(), null)).isTrue();
    assertThat(((ObjectRecord) store.version(B, K, v1.versionId()).orElseThrow()).acl()).isNull();
    assertThat(store.setAcl(B, K, v2.versionId(), PUBLIC_READ)).isTrue();
    assertThat(store.object(B, K).orElseThrow().acl()).isEqualTo(PUBLIC_READ);
    DeleteMarker marker = store.deleteObject(B, K, NOW).marker().orElseThrow();
    assertThat(store.setAcl(B, K, marker.versionId(), PUBLIC_READ)).isFalse();
    assertThat(store.setAcl(B, K, "nope", PUBLIC_READ)).isFalse();
    assertThat(store.version(B, K, v2.versionId()))
        .hasValueSatisfying(v -> assertThat(((ObjectRecord) v).acl()).isEqualTo(PUBLIC_READ));
  }

  @Test
  void enabled_deleteAddsAMarker_hidingTheKeyFromListingsButNotItsVersions() {
    store.setVersioning(B, Versioning.ENABLED);
    ObjectRecord v1 = put(B, "k", 1);
    ObjectStore.Removal r = store.deleteObject(B, K, NOW);
    assertThat(r.removed()).isEmpty();
    DeleteMarker marker = r.marker().orElseThrow();
    assertThat(marker.lastModified()).isEqualTo(NOW);
    assertThat(store.object(B, K)).isEmpty();
    assertThat(store.latest(B, K)).contains(marker);
    assertThat(store.list(B, new ListQuery("", null, null, 1000)).objects()).isEmpty();
    assertThat(versionsOf(B))
        .containsExactly("k:" + marker.versionId() + "*", "k:" + v1.versionId());
    assertThatThrownBy(() -> store.deleteBucket(B)).isInstanceOf(BucketNotEmptyException.class);
    // A second delete adds a second marker, as S3 does.
    store.deleteObject(B, K, NOW);
    assertThat(versionsOf(B)).hasSize(3);
  }

  @Test
  void deleteVersion_ofTheLatestMarker_bringsTheObjectBack() {
    store.setVersioning(B, Versioning.ENABLED);
    ObjectRecord v1 = put(B, "k", 1);
    DeleteMarker marker = store.deleteObject(B, K, NOW).marker().orElseThrow();
    ObjectStore.Removal r = store.deleteVersion(B, K, marker.versionId(), NOW, false);
    assertThat(r.removed()).contains(marker);
    assertThat(store.object(B, K)).contains(v1);
    assertThat(versionsOf(B)).containsExactly("k:" + v1.versionId() + "*");
  }

  @Test
  void deleteVersion_ofTheCurrent_makesThePreviousCurrent() {
    store.setVersioning(B, Versioning.ENABLED);
    ObjectRecord v1 = put(B, "k", 1);
    ObjectRecord v2 = put(B, "k", 2);
    assertThat(store.deleteVersion(B, K, v2.versionId(), NOW, false).removed()).contains(v2);
    assertThat(store.object(B, K)).contains(v1);
    assertThat(store.deleteVersion(B, K, v1.versionId(), NOW, false).removed()).contains(v1);
    assertThat(store.latest(B, K)).isEmpty();
    assertThat(store.bucketUsage(B)).isEqualTo(new Usage(0, 0));
    assertThat(store.deleteVersion(B, K, "absent", NOW, false))
        .isEqualTo(ObjectStore.Removal.NOTHING);
    store.deleteBucket(B);
  }

  @Test
  void deleteVersion_ofAnOldVersion_leavesTheCurrent() {
    store.setVersioning(B, Versioning.ENABLED);
    ObjectRecord v1 = put(B, "k", 1);
    ObjectRecord v2 = put(B, "k", 2);
    assertThat(store.deleteVersion(B, K, v1.versionId(), NOW, false).removed()).contains(v1);
    assertThat(store.object(B, K)).contains(v2);
    assertThat(versionsOf(B)).containsExactly("k:" + v2.versionId() + "*");
  }

  @Test
  void suspended_putReplacesTheNullVersionOnly() {
    store.setVersioning(B, Versioning.ENABLED);
    ObjectRecord v1 = put(B, "k", 1);
    store.setVersioning(B, Versioning.SUSPENDED);
    ObjectStore.Written first = store.putObject(object(B, "k", tag(2)), WriteCondition.NONE);
    assertThat(first.stored().versionId()).isEqualTo("null");
    assertThat(first.replaced()).isEmpty();
    ObjectStore.Written second = store.putObject(object(B, "k", tag(3)), WriteCondition.NONE);
    assertThat(second.replaced()).contains(first.stored());
    assertThat(versionsOf(B)).containsExactly("k:null*", "k:" + v1.versionId());
    // Enabled again: the null version becomes an old version, then a suspended delete removes it.
    store.setVersioning(B, Versioning.ENABLED);
    ObjectRecord v3 = put(B, "k", 4);
    store.setVersioning(B, Versioning.SUSPENDED);
    ObjectStore.Removal r = store.deleteObject(B, K, NOW);
    assertThat(r.removed()).contains(second.stored());
    assertThat(r.marker().orElseThrow().versionId()).isEqualTo("null");
    assertThat(versionsOf(B))
        .containsExactly("k:null*", "k:" + v3.versionId(), "k:" + v1.versionId());
    assertThat(store.bucketUsage(B)).isEqualTo(new Usage(2, 6));
  }

  @Test
  void unversioned_setToUnversioned_isRefused_andLockedBucketsCannotBeSuspended() {
    assertThatThrownBy(() -> store.setVersioning(B, Versioning.UNVERSIONED))
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> store.setVersioning(LOCKED, Versioning.SUSPENDED))
        .isInstanceOfSatisfying(
            ObjectLockException.class,
            e -> assertThat(e.reason()).isEqualTo(ObjectLockException.Reason.INVALID_BUCKET_STATE));
    assertThat(store.bucket(LOCKED).orElseThrow().objectLock()).isTrue();
    assertThat(store.bucket(LOCKED).orElseThrow().versioning()).isEqualTo(Versioning.ENABLED);
  }

  @Test
  void forEachReferencedBlob_includesNoncurrentVersions_untilTheyAreRemoved() {
    // The orphan janitor deletes every blob not listed here: an old (maybe locked) version's blob
    // must be listed for as long as the version exists.
    store.setVersioning(B, Versioning.ENABLED);
    ObjectRecord v1 = put(B, "k", 1);
    ObjectRecord v2 = put(B, "k", 2);
    store.deleteObject(B, K, NOW);
    List<BlobId> seen = new ArrayList<>();
    store.forEachReferencedBlob(seen::add);
    assertThat(seen).containsExactlyInAnyOrder(v1.blobs().get(0).blob(), v2.blobs().get(0).blob());
    store.deleteVersion(B, K, v1.versionId(), NOW, false);
    seen.clear();
    store.forEachReferencedBlob(seen::add);
    assertThat(seen).containsExactly(v2.blobs().get(0).blob());
  }

  @Test
  void lock_complianceRetention_refusesRemovalUntilItsDate_evenWithBypass() {
    ObjectRecord v =
        store
            .putObject(
                object(LOCKED, "k", tag(1))
                    .withLock(new LockState(RetentionMode.COMPLIANCE, NOW.plusSeconds(60), false)),
                WriteCondition.NONE)
            .stored();
    assertThat(store.version(LOCKED, K, v.versionId()).orElseThrow())
        .isInstanceOfSatisfying(
            ObjectRecord.class,
            o -> assertThat(o.lock().mode()).isEqualTo(RetentionMode.COMPLIANCE));
    assertThatThrownBy(() -> store.deleteVersion(LOCKED, K, v.versionId(), NOW, true))
        .isInstanceOf(ObjectLockException.class);
    // A delete without version only adds a marker: allowed, the version stays.
    store.deleteObject(LOCKED, K, NOW);
    assertThat(store.version(LOCKED, K, v.versionId())).contains(v);
    assertThat(store.countLocked("file:", NOW)).isEqualTo(1);
    assertThat(store.deleteVersion(LOCKED, K, v.versionId(), NOW.plusSeconds(61), false).removed())
        .contains(v);
    assertThat(store.countLocked("file:", NOW)).isZero();
  }

  @Test
  void lock_governanceRetention_givesWayToBypass_legalHoldToNothing() {
    ObjectRecord v =
        store
            .putObject(
                object(LOCKED, "k", tag(1))
                    .withLock(new LockState(RetentionMode.GOVERNANCE, NOW.plusSeconds(60), true)),
                WriteCondition.NONE)
            .stored();
    assertThatThrownBy(() -> store.deleteVersion(LOCKED, K, v.versionId(), NOW, true))
        .isInstanceOf(ObjectLockException.class);
    LockState released = store.changeLock(LOCKED, K, v.versionId(), l -> l.withLegalHold(false));
    assertThat(released.legalHold()).isFalse();
    assertThatThrownBy(() -> store.deleteVersion(LOCKED, K, v.versionId(), NOW, false))
        .isInstanceOf(ObjectLockException.class);
    assertThat(store.deleteVersion(LOCKED, K, v.versionId(), NOW, true).removed()).isPresent();
  }

  @Test
  void changeLock_onAMarkerOrAnAbsentVersion_isRefused() {
    put(LOCKED, "k", 1);
    DeleteMarker m = store.deleteObject(LOCKED, K, NOW).marker().orElseThrow();
    assertThatThrownBy(() -> store.changeLock(LOCKED, K, m.versionId(), l -> l))
        .isInstanceOf(DeleteMarkerException.class);
    assertThatThrownBy(() -> store.changeLock(LOCKED, K, "absent", l -> l))
        .isInstanceOf(NoSuchVersionException.class);
  }

  @Test
  void changeLock_onAnOldVersion_changesThatVersionOnly() {
    ObjectRecord v1 = put(LOCKED, "k", 1);
    ObjectRecord v2 = put(LOCKED, "k", 2);
    store.changeLock(LOCKED, K, v1.versionId(), l -> l.withLegalHold(true));
    assertThat(((ObjectRecord) store.version(LOCKED, K, v1.versionId()).orElseThrow()).lock())
        .isEqualTo(LockState.NONE.withLegalHold(true));
    assertThat(store.object(LOCKED, K).orElseThrow().lock()).isEqualTo(LockState.NONE);
    assertThat(store.object(LOCKED, K)).contains(v2);
  }

  @Test
  void replaceAttributes_ofAnOldVersion_changesThatVersion() {
    store.setVersioning(B, Versioning.ENABLED);
    ObjectRecord v1 = put(B, "k", 1);
    put(B, "k", 2);
    assertThat(store.replaceAttributes(v1, new byte[] {4})).isTrue();
    assertThat(
            ((ObjectRecord) store.version(B, K, v1.versionId()).orElseThrow()).sealedAttributes())
        .containsExactly(4);
    assertThat(store.object(B, K).orElseThrow().sealedAttributes()).containsExactly(9);
  }

  @Test
  void racingPuts_eachGetTheirOwnVersion() throws Exception {
    store.setVersioning(B, Versioning.ENABLED);
    List<Racing.Outcome<ObjectStore.Written>> outcomes =
        Racing.race(8, i -> () -> store.putObject(object(B, "hot", tag(i)), WriteCondition.NONE));
    assertThat(outcomes).allMatch(Racing.Outcome::ok);
    assertThat(versionsOf(B)).hasSize(8);
    assertThat(outcomes.stream().map(o -> o.value().stored().versionId()).distinct()).hasSize(8);
    assertThat(store.bucketUsage(B)).isEqualTo(new Usage(8, 24));
  }

  @Test
  void listVersions_pagesOfAnySize_giveTheWholeListingOnce() {
    store.setVersioning(B, Versioning.ENABLED);
    Random random = new Random(7);
    for (int i = 0; i < 60; i++) {
      String key = (random.nextBoolean() ? "dir/" : "") + "k" + random.nextInt(12);
      if (random.nextInt(5) == 0) {
        store.deleteObject(B, new ObjectKey(key), NOW);
      } else {
        put(B, key, i);
      }
    }
    for (String delimiter : new String[] {null, "/"}) {
      VersionPage wholePage =
          store.listVersions(B, new VersionQuery("", delimiter, null, null, 1000));
      List<String> whole = entries(null, wholePage);
      for (int size = 1; size <= 7; size++) {
        List<String> paged = new ArrayList<>();
        List<String> pagedPrefixes = new ArrayList<>();
        String keyMarker = null;
        String versionMarker = null;
        while (true) {
          VersionPage page =
              store.listVersions(
                  B, new VersionQuery("", delimiter, keyMarker, versionMarker, size));
          assertThat(page.versions().size() + page.commonPrefixes().size())
              .isLessThanOrEqualTo(size);
          paged.addAll(entries(null, page));
          pagedPrefixes.addAll(page.commonPrefixes());
          if (!page.truncated()) {
            break;
          }
          keyMarker = page.nextKeyMarker();
          versionMarker = page.nextVersionIdMarker();
        }
        assertThat(paged).as("pages of " + size + ", delimiter " + delimiter).isEqualTo(whole);
        assertThat(pagedPrefixes).isEqualTo(wholePage.commonPrefixes());
      }
    }
    // Each key's versions: newest first, only the first one latest.
    List<VersionPage.Entry> all =
        store.listVersions(B, new VersionQuery("", null, null, null, 1000)).versions();
    for (int i = 1; i < all.size(); i++) {
      boolean sameKey = all.get(i).version().key().equals(all.get(i - 1).version().key());
      assertThat(all.get(i).latest()).isEqualTo(!sameKey);
    }
  }

  private static List<String> entries(VersionQuery unused, VersionPage page) {
    VersionPage p = page;
    List<String> out = new ArrayList<>();
    p.versions()
        .forEach(
            e ->
                out.add(
                    e.version().key().value()
                        + ":"
                        + e.version().versionId()
                        + (e.latest() ? "*" : "")
                        + (e.version() instanceof DeleteMarker ? "(marker)" : "")));
    return out;
  }

  @Test
  void listVersions_prefixAndKeyMarker() {
    store.setVersioning(B, Versioning.ENABLED);
    put(B, "a", 1);
    ObjectRecord b1 = put(B, "b", 2);
    ObjectRecord b2 = put(B, "b", 3);
    put(B, "c", 4);
    VersionPage afterA = store.listVersions(B, new VersionQuery("", null, "a", null, 1000));
    assertThat(afterA.versions())
        .extracting(e -> e.version().key().value())
        .containsExactly("b", "b", "c");
    VersionPage afterB2 =
        store.listVersions(B, new VersionQuery("", null, "b", b2.versionId(), 1000));
    assertThat(afterB2.versions())
        .extracting(e -> e.version().versionId())
        .first()
        .isEqualTo(b1.versionId());
    assertThat(afterB2.versions().get(0).latest()).isFalse();
    VersionPage onlyB = store.listVersions(B, new VersionQuery("b", null, null, null, 1000));
    assertThat(onlyB.versions()).hasSize(2);
  }
}
