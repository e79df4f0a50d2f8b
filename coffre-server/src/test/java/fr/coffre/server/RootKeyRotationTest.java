package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.AccessKeyRecord;
import fr.coffre.core.BlobId;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.ETag;
import fr.coffre.core.KmsKeyRecord;
import fr.coffre.core.KmsKeyState;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.RoleRecord;
import fr.coffre.core.SessionCredentialRecord;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.UploadRecord;
import fr.coffre.core.UserRecord;
import fr.coffre.core.WriteCondition;
import fr.coffre.crypto.DataKey;
import fr.coffre.crypto.KeyFileRootKey;
import fr.coffre.crypto.KmsMaterial;
import fr.coffre.crypto.ObjectCrypto;
import fr.coffre.crypto.RootKey;
import fr.coffre.crypto.RootKeyPin;
import fr.coffre.crypto.RootKeyPin.Mode;
import fr.coffre.crypto.RootKeyRing;
import fr.coffre.crypto.SealedRootKey;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.metadata.SqliteMetadataStore;
import fr.coffre.service.IdentityService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline rotation on a real SQLite store: a pass limited to a batch stops with rows left under
 * the retired key, a second run resumes it without making a third key, and at the end every value
 * opens under the new key alone and the pin no longer lists the old one.
 */
class RootKeyRotationTest {
  private static final String TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Principal\":{\"AWS\":\"arn:aws:iam::111111111111:user/clerk\"},"
          + "\"Action\":\"sts:AssumeRole\"}]}";

  private static final Instant T0 = Instant.parse("2026-12-06T09:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
  private static final BucketName B = new BucketName("rotated");
  private static final byte[] ATTRS = "attrs".getBytes(StandardCharsets.US_ASCII);
  private static final char[] PASSPHRASE = "une phrase de passe assez longue".toCharArray();
  @TempDir Path work;

  /** Rows wrapped by {@code root}: five object versions, an upload, a KMS key, an access key. */
  private static Map<String, byte[]> fill(Path data, RootKey root) throws Exception {
    Map<String, byte[]> sealedAttrs = new HashMap<>();
    ObjectCrypto crypto = new ObjectCrypto(root);
    try (MetadataStore store = SqliteMetadataStore.open(data.resolve(MetadataPin.SQLITE_FILE))) {
      store.createBucket(new BucketRecord(B, T0, "us-east-1"));
      for (int i = 0; i < 5; i++) {
        DataKey k = crypto.newDataKey();
        byte[] sealed = crypto.seal(k, ATTRS, new byte[] {(byte) i});
        sealedAttrs.put("o" + i, sealed);
        store.putObject(
            new ObjectRecord(
                B,
                new ObjectKey("o" + i),
                3,
                new ETag(String.format("%032x", i)),
                T0,
                k.keyRef(),
                k.wrapped(),
                List.of(new BlobSlice(BlobId.random(), 3)),
                sealed),
            WriteCondition.NONE);
      }
      DataKey u = crypto.newDataKey();
      store.createUpload(
          new UploadRecord(
              "0".repeat(31) + "1", B, new ObjectKey("big"), T0, u.keyRef(), u.wrapped(), ATTRS));
      store.createKmsKey(
          new KmsKeyRecord("k-1", null, "", KmsKeyState.ENABLED, T0, 1, null, null, null),
          KmsMaterial.generate(root, "k-1", 1, T0));
      store.createTenant(new TenantRecord("town", "111111111111", T0, null));
      store.createUser(new UserRecord("town", "clerk", T0, true));
      store.createAccessKey(
          new AccessKeyRecord(
              "AKCLERK",
              "town",
              "clerk",
              root.wrap("s3cret".getBytes(), IdentityService.secretContext("AKCLERK")),
              true,
              T0));
      store.roles().createRole(new RoleRecord("town", "archivist", TRUST, 3600, T0));
      store
          .roles()
          .createSessionCredential(
              new SessionCredentialRecord(
                  "ASIACLERK",
                  "town",
                  "archivist",
                  "s1",
                  "arn:aws:iam::111111111111:user/clerk",
                  root.wrap("temp".getBytes(), IdentityService.sessionContext("ASIACLERK")),
                  "ab".repeat(32),
                  T0,
                  T0.plusSeconds(3600)));
    }
    return sealedAttrs;
  }

  /** Every row opens under {@code only}, alone. */
  private static void assertAllUnder(Path data, RootKey only, Map<String, byte[]> sealedAttrs)
      throws Exception {
    ObjectCrypto crypto = new ObjectCrypto(only);
    try (MetadataStore store = SqliteMetadataStore.open(data.resolve(MetadataPin.SQLITE_FILE))) {
      List<ObjectRecord> objects = store.objectsWithKeyRef(only.id(), 100);
      assertThat(objects).hasSize(5);
      for (ObjectRecord o : objects) {
        try (DataKey k = crypto.unwrap(o.keyRef(), o.wrappedKey())) {
          int i = Integer.parseInt(o.key().value().substring(1));
          assertThat(crypto.open(k, sealedAttrs.get(o.key().value()), new byte[] {(byte) i}))
              .isEqualTo(ATTRS);
        }
      }
      UploadRecord u = store.uploadsWithKeyRef(only.id(), 10).get(0);
      crypto.unwrap(u.keyRef(), u.wrappedKey()).close();
      KmsMaterial.open(only, store.kmsKeyVersions("k-1").get(0)).destroy();
      AccessKeyRecord ak = store.accessKey("AKCLERK").orElseThrow();
      assertThat(only.unwrap(ak.sealedSecret(), IdentityService.secretContext("AKCLERK")))
          .isEqualTo("s3cret".getBytes());
      SessionCredentialRecord temp = store.roles().sessionCredential("ASIACLERK").orElseThrow();
      assertThat(only.unwrap(temp.sealedSecret(), IdentityService.sessionContext("ASIACLERK")))
          .isEqualTo("temp".getBytes());
    }
  }

  private static RootKey fileKey(Path data) throws Exception {
    byte[] m = KeyFileRootKey.readMaterial(data.resolve("keys").resolve(RootKeys.DEV_KEY_FILE));
    return KeyFileRootKey.of(m);
  }

  @Test
  void fileMode_interruptedThenResumed_movesEverythingUnderTheNewKey() throws Exception {
    Path data = work.resolve("data");
    Path keys = data.resolve("keys");
    Files.createDirectories(keys);
    KeyFileRootKey old = KeyFileRootKey.openOrCreate(keys.resolve(RootKeys.DEV_KEY_FILE));
    RootKeyPin.of(Mode.FILE, old).write(keys);
    Map<String, byte[]> attrs = fill(data, old);

    List<String> lines = new ArrayList<>();
    RootKeyRotation first = RootKeyRotation.rotate(data, null, 2, 1, CLOCK, lines::add);
    assertThat(first.finished()).isFalse();
    assertThat(first.newKey()).isTrue();
    assertThat(first.rewrapped()).containsEntry("objects", 2);
    assertThat(lines).containsExactly("re-wrapped 2 objects");
    RootKey next = fileKey(data);
    assertThat(next.id()).isEqualTo(first.keyId()).isNotEqualTo(old.id());
    RootKeyPin mid = RootKeyPin.read(keys).orElseThrow();
    assertThat(mid.retiredIds()).containsExactly(old.id());
    assertThat(RootKeys.retiredFile(keys, old.id())).exists();
    try (MetadataStore store = SqliteMetadataStore.open(data.resolve(MetadataPin.SQLITE_FILE))) {
      assertThat(store.countObjectsWithKeyRef(old.id())).isEqualTo(3);
    }

    RootKeyRotation second = RootKeyRotation.rotate(data, null, 2, 0, CLOCK, lines::add);
    assertThat(second.finished()).isTrue();
    assertThat(second.newKey()).as("a resumption makes no third key").isFalse();
    assertThat(second.keyId()).isEqualTo(next.id());
    assertThat(second.rewrapped())
        .containsEntry("objects", 3)
        .containsEntry("uploads", 1)
        .containsEntry("kmsKeyVersions", 1)
        .containsEntry("accessKeys", 1)
        .containsEntry("sessionCredentials", 1);
    assertThat(RootKeyPin.read(keys).orElseThrow().retiredIds()).isEmpty();
    Files.delete(RootKeys.retiredFile(keys, old.id()));
    assertAllUnder(data, next, attrs);
    assertThat(Files.readString(keys.resolve("custody.log")))
        .contains("rotation from=" + old.id(), "rotation finished key=" + next.id());
  }

  @Test
  void sealedMode_newKeyIsSealedUnderTheSamePassphrase_andTheRingOpensBoth() throws Exception {
    Path data = work.resolve("sealed");
    Path keys = data.resolve("keys");
    SealedRootKey old =
        SealedRootKey.at(keys.resolve(RootKeys.SEALED_KEY_FILE), SealedRootKey.Cost.DEFAULT);
    old.create(PASSPHRASE);
    old.unseal(PASSPHRASE);
    RootKeyPin.of(Mode.SEALED, old).write(keys);
    String oldId = old.id();
    Map<String, byte[]> attrs = fill(data, old);

    assertThatThrownBy(() -> RootKeyRotation.rotate(data, null, 10, 0, CLOCK, l -> {}))
        .isInstanceOf(CustodyException.class)
        .hasMessageContaining("--passphrase-file");
    RootKeyRotation done = RootKeyRotation.rotate(data, PASSPHRASE.clone(), 2, 2, CLOCK, l -> {});
    assertThat(done.finished()).isFalse();
    RootKeyPin pin = RootKeyPin.read(keys).orElseThrow();
    RootKeyRing ring = RootKeySwitch.openRing(keys, pin, PASSPHRASE.clone());
    assertThat(ring.id()).startsWith("sealed:").isNotEqualTo(oldId);
    assertThat(ring.retiredIds()).containsExactly(oldId);

    done = RootKeyRotation.rotate(data, PASSPHRASE.clone(), 2, 0, CLOCK, l -> {});
    assertThat(done.finished()).isTrue();
    SealedRootKey current =
        SealedRootKey.at(keys.resolve(RootKeys.SEALED_KEY_FILE), SealedRootKey.Cost.DEFAULT);
    current.unseal(PASSPHRASE.clone());
    assertThat(current.id()).isEqualTo(done.keyId());
    assertAllUnder(data, current, attrs);
  }

  @Test
  void switchInterruptedAfterThePin_isCompletedByTheNextRun_aStaleStagedKeyIsDiscarded()
      throws Exception {
    Path data = work.resolve("crash");
    Path keys = data.resolve("keys");
    Files.createDirectories(keys);
    KeyFileRootKey old = KeyFileRootKey.openOrCreate(keys.resolve(RootKeys.DEV_KEY_FILE));
    RootKeyPin.of(Mode.FILE, old).write(keys);
    fill(data, old);
    Path keyFile = keys.resolve(RootKeys.DEV_KEY_FILE);
    Path staged = keys.resolve(RootKeys.DEV_KEY_FILE + ".new");

    // A crash before the pin names it: the staged key wrapped nothing and is dropped.
    byte[] stale = new byte[32];
    stale[0] = 1;
    KeyFileRootKey.install(staged, stale);
    assertThat(RootKeySwitch.interruptedAfterCommit(keys, RootKeyPin.read(keys).orElseThrow()))
        .isFalse();

    // A crash after the pin, before the rename: simulated by putting the old key file back.
    byte[] oldMaterial = Files.readAllBytes(keyFile);
    RootKeyRotation.rotate(data, null, 100, 1, CLOCK, l -> {});
    RootKeyPin pin = RootKeyPin.read(keys).orElseThrow();
    Files.move(keyFile, staged);
    Files.write(keyFile, oldMaterial);
    assertThat(RootKeySwitch.interruptedAfterCommit(keys, pin)).isTrue();

    RootKeyRotation done = RootKeyRotation.rotate(data, null, 100, 0, CLOCK, l -> {});
    assertThat(done.finished()).isTrue();
    assertThat(done.keyId()).isEqualTo(pin.id());
    assertThat(staged).doesNotExist();
    assertThat(fileKey(data).id()).isEqualTo(pin.id());
  }

  @Test
  void runningServer_lockHeld_isRefusedAndNothingChanges() throws Exception {
    Path data = work.resolve("busy");
    Path keys = data.resolve("keys");
    Files.createDirectories(keys);
    KeyFileRootKey old = KeyFileRootKey.openOrCreate(keys.resolve(RootKeys.DEV_KEY_FILE));
    RootKeyPin.of(Mode.FILE, old).write(keys);
    try (DataDirectory held = DataDirectory.lock(data)) {
      assertThatThrownBy(() -> RootKeyRotation.rotate(data, null, 10, 0, CLOCK, l -> {}))
          .isInstanceOf(CustodyException.class)
          .hasMessageContaining("stop the server first");
    }
    assertThat(RootKeyPin.read(keys).orElseThrow().id()).isEqualTo(old.id());
    assertThat(keys.resolve(RootKeys.RETIRED_DIR)).doesNotExist();
  }

  @Test
  void hsmMode_withoutTheToken_isRefusedAndNothingChanges() throws Exception {
    Path data = work.resolve("hsm");
    Path keys = data.resolve("keys");
    Files.createDirectories(keys);
    new RootKeyPin(Mode.HSM, "pkcs11:coffre-root", "AAAA").write(keys);
    String before = Files.readString(keys.resolve(RootKeyPin.FILE_NAME));
    assertThatThrownBy(() -> RootKeyRotation.rotate(data, null, 10, 0, CLOCK, l -> {}))
        .isInstanceOf(CustodyException.class)
        .hasMessageContaining("COFFRE_PKCS11_LIBRARY");
    assertThat(Files.readString(keys.resolve(RootKeyPin.FILE_NAME))).isEqualTo(before);
  }
}
