package fr.coffre.metadata;

import static fr.coffre.metadata.TestRecords.tag;
import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.core.BlobId;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.ETag;
import fr.coffre.core.KeyUsage;
import fr.coffre.core.KmsKeyRecord;
import fr.coffre.core.KmsKeyState;
import fr.coffre.core.KmsKeyVersion;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.UploadRecord;
import fr.coffre.core.WriteCondition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link KmsStore} must have; an implementation's test extends this. */
public abstract class KmsStoreContract {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final BucketName B = new BucketName("bucket-one");
  protected MetadataStore store;

  /** A new, empty store; the contract closes it after each test. */
  protected abstract MetadataStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    store.createBucket(new BucketRecord(B, T0, "us-east-1"));
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private static KmsKeyRecord key(String id, String alias, Instant created) {
    return new KmsKeyRecord(
        id, alias, "for tests", KmsKeyState.ENABLED, created, 1, null, null, null);
  }

  private static KmsKeyVersion version(String keyId, int version) {
    return new KmsKeyVersion(
        keyId, version, "root-1", new byte[] {(byte) version, 7}, T0.plusSeconds(version));
  }

  private static KmsKeyRecord withCurrentVersion(KmsKeyRecord k, int version) {
    return new KmsKeyRecord(
        k.id(),
        k.alias(),
        k.description(),
        k.state(),
        k.created(),
        version,
        k.deletionDate(),
        k.destroyed(),
        k.certificate(),
        k.tenant());
  }

  private static ObjectRecord object(String key, long size, String keyRef) {
    return new ObjectRecord(
        B,
        new ObjectKey(key),
        size,
        new ETag(tag((int) size)),
        T0,
        keyRef,
        new byte[] {1, 2},
        List.of(new BlobSlice(BlobId.random(), size)),
        new byte[] {9});
  }

  private static UploadRecord upload(String id, String keyRef) {
    return new UploadRecord(
        id, B, new ObjectKey("big"), T0, keyRef, new byte[] {1}, new byte[] {2});
  }

  @Test
  void rewrapKmsKeyVersion_underAnotherRootKey_movesItOutOfTheOldKeysList() {
    store.createKmsKey(key("k-1", null, T0), version("k-1", 1));
    store.rotateKmsKey(withCurrentVersion(key("k-1", null, T0), 2), version("k-1", 2));
    store.createKmsKey(key("k-2", null, T0), version("k-2", 1));
    List<KmsKeyVersion> old = store.kmsKeyVersionsWrappedBy("root-1", 2);
    assertThat(old)
        .extracting(v -> v.keyId() + " v" + v.version())
        .containsExactly("k-1 v1", "k-1 v2");
    KmsKeyVersion v1 = old.get(0);
    KmsKeyVersion moved = new KmsKeyVersion("k-1", 1, "root-2", new byte[] {42}, v1.created());
    assertThat(store.rewrapKmsKeyVersion(v1, moved)).isTrue();
    assertThat(store.rewrapKmsKeyVersion(v1, moved)).as("stale: already re-wrapped").isFalse();
    assertThat(store.kmsKeyVersionsWrappedBy("root-1", 10))
        .extracting(v -> v.keyId() + " v" + v.version())
        .containsExactly("k-1 v2", "k-2 v1");
    KmsKeyVersion stored = store.kmsKeyVersions("k-1").get(0);
    assertThat(stored.rootKeyId()).isEqualTo("root-2");
    assertThat(stored.wrappedMaterial()).containsExactly(42);
    assertThat(stored.created()).isEqualTo(v1.created());
    assertThat(store.kmsKeyVersionsWrappedBy("root-2", 10)).hasSize(1);
  }

  @Test
  void createKmsKey_thenRead_isFoundByIdOrAliasWithItsFirstVersion() {
    KmsKeyRecord k = key("k-1", "archive", T0);
    store.createKmsKey(k, version("k-1", 1));
    assertThat(store.kmsKey("k-1", false)).contains(k);
    assertThat(store.kmsKey("archive", true)).contains(k);
    assertThat(store.kmsKey("archive", false)).isEmpty();
    assertThat(store.kmsKey("k-2", false)).isEmpty();
    List<KmsKeyVersion> versions = store.kmsKeyVersions("k-1");
    assertThat(versions).hasSize(1);
    assertThat(versions.get(0).version()).isEqualTo(1);
    assertThat(versions.get(0).rootKeyId()).isEqualTo("root-1");
    assertThat(versions.get(0).wrappedMaterial()).containsExactly(1, 7);
    assertThat(versions.get(0).created()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void kmsKeys_several_oldestFirstDestroyedIncluded() {
    store.createKmsKey(key("k-new", null, T0.plusSeconds(10)), version("k-new", 1));
    store.createKmsKey(key("k-old", null, T0), version("k-old", 1));
    KmsKeyRecord destroyed =
        new KmsKeyRecord(
            "k-old",
            null,
            "for tests",
            KmsKeyState.DESTROYED,
            T0,
            1,
            null,
            T0.plusSeconds(20),
            "certificate",
            null);
    store.destroyKmsKey(destroyed);
    assertThat(store.kmsKeys()).extracting(KmsKeyRecord::id).containsExactly("k-old", "k-new");
  }

  @Test
  void updateKmsKey_newState_isStored() {
    KmsKeyRecord k = key("k-1", null, T0);
    store.createKmsKey(k, version("k-1", 1));
    KmsKeyRecord pending = k.withState(KmsKeyState.PENDING_DELETION, T0.plusSeconds(3600));
    store.updateKmsKey(pending);
    assertThat(store.kmsKey("k-1", false)).contains(pending);
  }

  @Test
  void rotateKmsKey_newVersion_becomesCurrent() {
    KmsKeyRecord k = key("k-1", null, T0);
    store.createKmsKey(k, version("k-1", 1));
    store.rotateKmsKey(withCurrentVersion(k, 2), version("k-1", 2));
    assertThat(store.kmsKey("k-1", false))
        .get()
        .extracting(KmsKeyRecord::currentVersion)
        .isEqualTo(2);
    assertThat(store.kmsKeyVersions("k-1"))
        .extracting(KmsKeyVersion::version)
        .containsExactly(1, 2);
  }

  @Test
  void destroyKmsKey_withVersions_deletesThemAndKeepsTheFinalRow() {
    KmsKeyRecord k = key("k-1", null, T0);
    store.createKmsKey(k, version("k-1", 1));
    store.rotateKmsKey(withCurrentVersion(k, 2), version("k-1", 2));
    KmsKeyRecord destroyed =
        new KmsKeyRecord(
            "k-1",
            null,
            "for tests",
            KmsKeyState.DESTROYED,
            T0,
            2,
            null,
            T0.plusSeconds(20),
            "certificate",
            null);
    assertThat(store.destroyKmsKey(destroyed)).isEqualTo(2);
    assertThat(store.kmsKeyVersions("k-1")).isEmpty();
    assertThat(store.kmsKey("k-1", false)).contains(destroyed);
  }

  @Test
  void keyUsage_prefix_countsObjectsBytesAndUploadsOfThatKeyOnly() {
    store.putObject(object("a", 3, "kms:k1:1"), WriteCondition.NONE);
    store.putObject(object("b", 5, "kms:k1:2"), WriteCondition.NONE);
    store.putObject(object("c", 7, "kms:k10:1"), WriteCondition.NONE);
    store.createUpload(upload(tag(1), "kms:k1:1"));
    store.createUpload(upload(tag(2), "kms:k10:1"));
    assertThat(store.keyUsage("kms:k1:")).isEqualTo(new KeyUsage(2, 8, 1));
    assertThat(store.keyUsage("kms:k2:")).isEqualTo(new KeyUsage(0, 0, 0));
    assertThat(store.countObjectsWithKeyRef("kms:k1:1")).isEqualTo(1);
    assertThat(store.countObjectsWithKeyRef("kms:k1:")).isZero();
  }

  @Test
  void objectsWithKeyRef_exactRef_returnsAtMostMax() {
    store.putObject(object("a", 3, "kms:k1:1"), WriteCondition.NONE);
    store.putObject(object("b", 5, "kms:k1:1"), WriteCondition.NONE);
    store.putObject(object("c", 7, "kms:k1:2"), WriteCondition.NONE);
    assertThat(store.objectsWithKeyRef("kms:k1:1", 10))
        .extracting(o -> o.key().value())
        .containsExactlyInAnyOrder("a", "b");
    assertThat(store.objectsWithKeyRef("kms:k1:1", 1)).hasSize(1);
    assertThat(store.objectsWithKeyRef("kms:k1:", 10)).isEmpty();
  }

  @Test
  void rewrapObject_staleCurrent_isRefused() {
    ObjectRecord o = object("a", 3, "kms:k1:1");
    store.putObject(o, WriteCondition.NONE);
    assertThat(store.rewrapObject(o, "kms:k1:2", new byte[] {4, 4})).isTrue();
    ObjectRecord read = store.object(B, o.key()).orElseThrow();
    assertThat(read.keyRef()).isEqualTo("kms:k1:2");
    assertThat(read.wrappedKey()).containsExactly(4, 4);
    assertThat(read.blobs()).isEqualTo(o.blobs());
    assertThat(store.rewrapObject(o, "kms:k1:3", new byte[] {5})).isFalse();
    assertThat(store.object(B, o.key()).orElseThrow().keyRef()).isEqualTo("kms:k1:2");
  }

  @Test
  void rewrapUpload_staleCurrent_isRefused() {
    store.createUpload(upload(tag(1), "kms:k1:1"));
    store.createUpload(upload(tag(2), "kms:k1:2"));
    List<UploadRecord> found = store.uploadsWithKeyRef("kms:k1:1", 10);
    assertThat(found).extracting(UploadRecord::uploadId).containsExactly(tag(1));
    UploadRecord u = found.get(0);
    assertThat(store.rewrapUpload(u, "kms:k1:2", new byte[] {4, 4})).isTrue();
    assertThat(store.uploadsWithKeyRef("kms:k1:1", 10)).isEmpty();
    assertThat(store.uploadsWithKeyRef("kms:k1:2", 10))
        .extracting(UploadRecord::uploadId)
        .containsExactlyInAnyOrder(tag(1), tag(2));
    assertThat(store.upload(B, tag(1)).orElseThrow().wrappedKey()).containsExactly(4, 4);
    assertThat(store.rewrapUpload(u, "kms:k1:3", new byte[] {5})).isFalse();
  }
}
