package fr.coffre.service;

import static fr.coffre.service.ServiceFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BucketName;
import fr.coffre.core.DefaultRetention;
import fr.coffre.core.DeleteMarkerException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.LockState;
import fr.coffre.core.NoSuchKeyException;
import fr.coffre.core.NoSuchVersionException;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectLockException;
import fr.coffre.core.RetentionMode;
import fr.coffre.core.Versioning;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions and Object Lock through the services: content, blobs, defaults and shredding. */
class VersionsAndLocksTest {
  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;
  private final ObjectKey k = new ObjectKey("dossier.pdf");

  @BeforeEach
  void open() {
    f = ServiceFixture.open(dir);
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private BucketName versioned(String name) {
    BucketName b = f.bucket(name);
    f.buckets.setVersioning(b, Versioning.ENABLED);
    return b;
  }

  private BucketName locked(String name) {
    BucketName b = new BucketName(name);
    f.buckets.create(b, ServiceFixture.REGION, ServiceFixture.defaultTenant(), null, true);
    return b;
  }

  private byte[] read(BucketName b, String versionId) {
    return ServiceFixture.drain(
        f.objects.get(b, k, versionId, ReadConditions.NONE, null, false, null).content());
  }

  @Test
  void everyVersionKeepsItsOwnContentAndBlob_untilRemoved() {
    BucketName b = versioned("versions");
    String v1 = f.put(b, k.value(), utf8("première")).versionId();
    String v2 = f.put(b, k.value(), utf8("seconde")).versionId();
    assertThat(f.blobFiles()).hasSize(2);
    assertThat(read(b, v1)).isEqualTo(utf8("première"));
    assertThat(read(b, null)).isEqualTo(utf8("seconde"));
    ObjectService.Deleted marker = f.objects.delete(b, k);
    assertThat(marker.deleteMarker()).isTrue();
    assertThatThrownBy(() -> read(b, null)).isInstanceOf(DeleteMarkerException.class);
    assertThatThrownBy(() -> read(b, marker.versionId()))
        .isInstanceOfSatisfying(
            DeleteMarkerException.class, e -> assertThat(e.addressed()).isTrue());
    assertThatThrownBy(() -> read(b, "0123")).isInstanceOf(NoSuchVersionException.class);
    assertThat(f.blobFiles()).hasSize(2);
    f.objects.delete(b, k, v1, false);
    assertThat(f.blobFiles()).hasSize(1);
    f.objects.delete(b, k, marker.versionId(), false);
    assertThat(read(b, null)).isEqualTo(utf8("seconde"));
    f.objects.delete(b, k, v2, false);
    assertThat(f.blobFiles()).isEmpty();
    assertThatThrownBy(() -> read(b, null)).isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void tags_ofAnOldVersion_areItsOwn() {
    BucketName b = versioned("tagged");
    String v1 = f.put(b, k.value(), utf8("a")).versionId();
    f.put(b, k.value(), utf8("b"));
    f.objects.setTags(b, k, v1, java.util.Map.of("classement", "archivé"));
    assertThat(f.objects.tags(b, k, v1)).containsEntry("classement", "archivé");
    assertThat(f.objects.tags(b, k)).isEmpty();
  }

  @Test
  void defaultRetention_isGivenToEachNewVersion_andKeepsIt() {
    BucketName b = locked("archives-legales");
    f.buckets.setObjectLockConfiguration(b, new DefaultRetention(RetentionMode.COMPLIANCE, 30, 0));
    ObjectInfo v = f.put(b, k.value(), utf8("acte"));
    assertThat(v.lock().mode()).isEqualTo(RetentionMode.COMPLIANCE);
    assertThat(v.lock().retainUntil()).isEqualTo(ServiceFixture.START.plus(Duration.ofDays(30)));
    assertThatThrownBy(() -> f.objects.delete(b, k, v.versionId(), true))
        .isInstanceOf(ObjectLockException.class);
    // COMPLIANCE: shortening is refused, even with the bypass right; extending is allowed.
    assertThatThrownBy(
            () ->
                f.objects.setRetention(
                    b,
                    k,
                    v.versionId(),
                    RetentionMode.COMPLIANCE,
                    ServiceFixture.START.plus(Duration.ofDays(1)),
                    true))
        .isInstanceOf(ObjectLockException.class);
    f.objects.setRetention(
        b,
        k,
        v.versionId(),
        RetentionMode.COMPLIANCE,
        ServiceFixture.START.plus(Duration.ofDays(60)),
        false);
    f.advance(Duration.ofDays(31));
    assertThatThrownBy(() -> f.objects.delete(b, k, v.versionId(), false))
        .isInstanceOf(ObjectLockException.class);
    f.advance(Duration.ofDays(30));
    f.objects.delete(b, k, v.versionId(), false);
    assertThat(f.blobFiles()).isEmpty();
  }

  @Test
  void lockHeaders_onABucketWithoutLock_areRefused_andPastDatesToo() {
    BucketName plain = f.bucket("ordinaire");
    PutRequest asked =
        PutRequest.of(ObjectAttributes.EMPTY)
            .withLock(
                new LockState(
                    RetentionMode.GOVERNANCE, ServiceFixture.START.plusSeconds(60), false));
    assertThatThrownBy(() -> f.put(plain, "x", utf8("x"), asked))
        .isInstanceOf(ObjectLockException.class);
    BucketName b = locked("verrouille");
    PutRequest past =
        PutRequest.of(ObjectAttributes.EMPTY)
            .withLock(
                new LockState(
                    RetentionMode.GOVERNANCE, ServiceFixture.START.minusSeconds(1), false));
    assertThatThrownBy(() -> f.put(b, "x", utf8("x"), past))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(f.blobFiles()).isEmpty();
  }

  @Test
  void kmsKey_protectingALockedVersion_cannotBeShredded_untilTheRetentionEnds() {
    BucketName b = locked("sous-cle");
    String id = f.keys.create("cle-archives", "clé de test").key().id();
    ObjectInfo v =
        f.put(
            b,
            k.value(),
            utf8("secret"),
            new PutRequest(ObjectAttributes.EMPTY, null, null, null, null, id)
                .withLock(
                    new LockState(
                        RetentionMode.GOVERNANCE,
                        ServiceFixture.START.plus(Duration.ofDays(2)),
                        false)));
    assertThat(v.lock().mode()).isEqualTo(RetentionMode.GOVERNANCE);
    assertThatThrownBy(() -> f.keys.destroy(id, true, "test", "op", "test"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("Object Lock");
    assertThatThrownBy(() -> f.keys.scheduleDeletion(id, 7))
        .isInstanceOf(InvalidArgumentException.class);
    f.advance(Duration.ofDays(3));
    f.keys.destroy(id, true, "test", "op", "test");
  }

  @Test
  void suspendingALockedBucket_isRefused() {
    BucketName b = locked("fige");
    assertThatThrownBy(() -> f.buckets.setVersioning(b, Versioning.SUSPENDED))
        .isInstanceOf(ObjectLockException.class);
  }
}
