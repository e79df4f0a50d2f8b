package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.KmsKeyException;
import fr.coffre.core.KmsKeyState;
import fr.coffre.core.Quota;
import fr.coffre.core.SignedCertificate;
import fr.coffre.core.TenantRecord;
import fr.coffre.crypto.KeyFileRootKey;
import fr.coffre.crypto.ObjectCrypto;
import fr.coffre.crypto.SigningKey;
import fr.coffre.metadata.SqliteMetadataStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The life of a KMS key against a real metadata store and root key, with a clock the test moves.
 */
class KeyServiceTest {
  @TempDir Path dir;
  private SqliteMetadataStore metadata;
  private KeyService keys;
  private ObjectCrypto crypto;
  private final HandClock clock = new HandClock(Instant.parse("2026-11-23T10:00:00Z"));

  @BeforeEach
  void open() throws Exception {
    metadata = SqliteMetadataStore.open(dir.resolve("metadata.db"));
    var root = KeyFileRootKey.openOrCreate(dir.resolve("root.key"));
    keys =
        new KeyService(
            metadata,
            root,
            () -> {
              try {
                return SigningKey.openOrCreate(dir, root);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            clock,
            "eu-west-3");
    crypto = keys.crypto();
  }

  @AfterEach
  void close() throws Exception {
    metadata.close();
  }

  @Test
  void dataKey_wrappedByAKey_opensWhileEnabled_notWhileDisabled() {
    String id = keys.create("dept", null).key().id();
    var dataKey = crypto.newDataKey(keys.forEncrypt("alias/dept"));
    assertThat(dataKey.keyRef()).isEqualTo("kms:" + id + ":1");
    assertThat(crypto.unwrap(dataKey.keyRef(), dataKey.wrapped())).isNotNull();

    keys.disable(id);
    assertThatThrownBy(() -> crypto.unwrap(dataKey.keyRef(), dataKey.wrapped()))
        .isInstanceOfSatisfying(
            KmsKeyException.class,
            e -> assertThat(e.reason()).isEqualTo(KmsKeyException.Reason.DISABLED));
    assertThatThrownBy(() -> keys.forEncrypt(id)).isInstanceOf(KmsKeyException.class);
    keys.enable("arn:aws:kms:eu-west-3:000000000000:key/" + id);
    assertThat(crypto.unwrap(dataKey.keyRef(), dataKey.wrapped())).isNotNull();
  }

  @Test
  void arn_namesTheKeysTenantsAccount() {
    metadata.createTenant(
        new TenantRecord("ville-de-nantes", "123456789012", clock.instant(), Quota.NONE));
    String theirs = keys.create("nantes", "", "ville-de-nantes").key().id();
    String ours = keys.create("ours", "").key().id();
    assertThat(keys.arn(theirs)).isEqualTo("arn:aws:kms:eu-west-3:123456789012:key/" + theirs);
    assertThat(keys.arn(ours)).isEqualTo("arn:aws:kms:eu-west-3:000000000000:key/" + ours);
    // An ARN names a key by its id: the tenant's and the default account's forms both find it.
    assertThat(keys.resolve(keys.arn(theirs))).isEqualTo(theirs);
  }

  @Test
  void rotate_newVersionWrapsNewKeys_oldVersionStillOpens() {
    String id = keys.create(null, null).key().id();
    var v1 = crypto.newDataKey(keys.forEncrypt(id));
    assertThat(keys.rotate(id).key().currentVersion()).isEqualTo(2);
    var v2 = crypto.newDataKey(keys.forEncrypt(id));
    assertThat(v2.keyRef()).endsWith(":2");
    assertThat(crypto.unwrap(v1.keyRef(), v1.wrapped())).isNotNull();
    var moved = crypto.rewrap(v1.keyRef(), v1.wrapped(), keys.forEncrypt(id));
    assertThat(moved.keyRef()).endsWith(":2");
    assertThat(crypto.unwrap(moved.keyRef(), moved.wrapped())).isNotNull();
  }

  @Test
  void scheduledDeletion_waitsItsPeriod_thenDestroysWithACertificate() {
    String id = keys.create("to-go", "a test key").key().id();
    var dataKey = crypto.newDataKey(keys.forEncrypt(id));
    assertThatThrownBy(() -> keys.scheduleDeletion(id, 6))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> keys.scheduleDeletion(id, 31))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(keys.scheduleDeletion(id, 7).key().state()).isEqualTo(KmsKeyState.PENDING_DELETION);
    // Unusable while pending, and not destroyable before the date without an override.
    assertThatThrownBy(() -> crypto.unwrap(dataKey.keyRef(), dataKey.wrapped()))
        .isInstanceOf(KmsKeyException.class);
    assertThatThrownBy(() -> keys.destroy(id, false, null, "op", "here"))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(keys.cancelDeletion(id).key().state()).isEqualTo(KmsKeyState.DISABLED);
    keys.scheduleDeletion(id, 7);

    clock.now = clock.now.plus(Duration.ofDays(7)).minusSeconds(1);
    assertThat(keys.destroyDue()).isZero();
    clock.now = clock.now.plusSeconds(1);
    assertThat(keys.destroyDue()).isEqualTo(1);

    var info = keys.describe(id);
    assertThat(info.key().state()).isEqualTo(KmsKeyState.DESTROYED);
    assertThat(info.versions()).isEmpty();
    assertThat(metadata.kmsKeyVersions(id)).isEmpty();
    SignedCertificate cert = Certificates.fromJson(keys.certificate(id).orElseThrow());
    assertThat(cert.certificate().override()).isFalse();
    assertThat(cert.certificate().destroyedBy()).contains("scheduled deletion");
    assertThat(Certificates.verify(cert, keys.signingPublicKeyPem()).valid()).isTrue();
    assertThatThrownBy(() -> keys.enable(id)).isInstanceOf(KmsKeyException.class);
    assertThatThrownBy(() -> crypto.unwrap(dataKey.keyRef(), dataKey.wrapped()))
        .isInstanceOfSatisfying(
            KmsKeyException.class,
            e -> assertThat(e.reason()).isEqualTo(KmsKeyException.Reason.DESTROYED));
  }

  @Test
  void certificate_anyAlteredField_failsToVerify() {
    String id = keys.create("shred", null).key().id();
    SignedCertificate signed = keys.destroy(id, true, "contract ended", "operator", "127.0.0.1");
    assertThat(Certificates.verify(signed, null).valid()).isTrue();
    var c = signed.certificate();
    var altered =
        new fr.coffre.core.ErasureCertificate(
            c.format(),
            c.keyId(),
            c.alias(),
            c.keyCreated(),
            c.destroyedAt(),
            c.destroyedBy(),
            c.requestedFrom(),
            c.reason(),
            c.override(),
            c.scheduledDeletionDate(),
            c.versions(),
            c.objects() + 1,
            c.bytes(),
            c.uploads(),
            c.rootKeyId(),
            c.covered());
    assertThat(
            Certificates.verify(
                    new SignedCertificate(
                        altered, signed.algorithm(), signed.publicKey(), signed.signature()),
                    null)
                .valid())
        .isFalse();
    var reordered =
        new fr.coffre.core.ErasureCertificate(
            c.format(),
            c.keyId(),
            c.alias(),
            c.keyCreated(),
            c.destroyedAt(),
            c.requestedFrom(),
            c.destroyedBy(),
            c.reason(),
            c.override(),
            c.scheduledDeletionDate(),
            c.versions(),
            c.objects(),
            c.bytes(),
            c.uploads(),
            c.rootKeyId(),
            c.covered());
    assertThat(
            Certificates.verify(
                    new SignedCertificate(
                        reordered, signed.algorithm(), signed.publicKey(), signed.signature()),
                    null)
                .valid())
        .isFalse();
    assertThat(Certificates.fromJson(Certificates.toJson(signed))).isEqualTo(signed);
  }

  @Test
  void certificateOfFormat1_stillVerifies_butHasNoListToCheck() throws Exception {
    var old =
        new fr.coffre.core.ErasureCertificate(
            fr.coffre.core.ErasureCertificate.FORMAT_1,
            "key-1",
            null,
            "2026-01-01T00:00:00Z",
            "2026-02-01T00:00:00Z",
            "operator",
            "127.0.0.1",
            null,
            true,
            null,
            1,
            2,
            30,
            0,
            "file:abc",
            null);
    SigningKey signer =
        SigningKey.openOrCreate(dir, KeyFileRootKey.openOrCreate(dir.resolve("root.key")));
    String json =
        Certificates.toJson(
            new SignedCertificate(
                old,
                SigningKey.ALGORITHM,
                signer.publicKeyBase64(),
                java.util.Base64.getEncoder().encodeToString(signer.sign(old.canonicalBytes()))));
    // A format-1 file as issued before: no "covered" line in what was signed.
    assertThat(new String(old.canonicalBytes(), java.nio.charset.StandardCharsets.UTF_8))
        .doesNotContain("covered")
        .endsWith("rootKeyId=file:abc\n");
    SignedCertificate parsed =
        Certificates.fromJson(json.replaceAll(",\\s*\"covered\" : null", ""));
    assertThat(json).contains("\"covered\" : null");
    assertThat(Certificates.verify(parsed, keys.signingPublicKeyPem()).valid()).isTrue();
    Certificates.Verdict withList = Certificates.verify(parsed, null, new byte[0]);
    assertThat(withList.valid()).isFalse();
    assertThat(withList.message()).contains("carries no digest");
    var unknown =
        new SignedCertificate(
            new fr.coffre.core.ErasureCertificate(
                "coffre-erasure-certificate/9",
                "k",
                null,
                "",
                "",
                "",
                null,
                null,
                false,
                null,
                0,
                0,
                0,
                0,
                "r",
                null),
            parsed.algorithm(),
            parsed.publicKey(),
            parsed.signature());
    assertThat(Certificates.verify(unknown, null).message()).contains("unknown certificate format");
  }

  @Test
  void aliases_checked_unique_andResolvable() {
    keys.create("alias/ville-de-lyon", null);
    assertThatThrownBy(() -> keys.create("ville-de-lyon", null))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> keys.create("aws/s3", null))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> keys.create("bad alias!", null))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(keys.resolve("arn:aws:kms:eu-west-3:000000000000:alias/ville-de-lyon"))
        .isEqualTo(keys.resolve("alias/ville-de-lyon"));
    assertThatThrownBy(() -> keys.resolve("not-a-key")).isInstanceOf(KmsKeyException.class);
    assertThat(keys.managedKey()).isEqualTo(keys.managedKey());
  }
}
