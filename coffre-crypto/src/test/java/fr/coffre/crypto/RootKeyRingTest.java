package fr.coffre.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.CorruptDataException;
import fr.coffre.core.KmsKeyVersion;
import fr.coffre.crypto.RootKeyPin.Mode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootKeyRingTest {
  private static final byte[] CONTEXT = "ctx".getBytes(StandardCharsets.US_ASCII);
  @TempDir Path dir;

  private static KeyFileRootKey fresh() throws GeneralSecurityException {
    byte[] m = new byte[32];
    new SecureRandom().nextBytes(m);
    return KeyFileRootKey.of(m);
  }

  @Test
  void ring_wrapsWithTheCurrentKey_andUnwrapsWhatEitherWrapped() throws Exception {
    KeyFileRootKey old = fresh();
    KeyFileRootKey next = fresh();
    RootKeyRing ring = RootKeyRing.ring(next, Map.of(old.id(), old));
    assertThat(ring.id()).isEqualTo(next.id());
    assertThat(ring.holds(old.id())).isTrue();
    assertThat(ring.holds(next.id())).isTrue();
    assertThat(ring.holds("file:0000000000000000")).isFalse();
    assertThat(ring.retiredIds()).containsExactly(old.id());

    byte[] byOld = old.wrap(new byte[] {1, 2, 3}, CONTEXT);
    assertThat(ring.unwrap(byOld, CONTEXT)).containsExactly(1, 2, 3);
    assertThat(ring.unwrap(old.id(), byOld, CONTEXT)).containsExactly(1, 2, 3);
    byte[] byRing = ring.wrap(new byte[] {4}, CONTEXT);
    assertThat(next.unwrap(byRing, CONTEXT)).containsExactly(4);
    assertThatThrownBy(() -> old.unwrap(byRing, CONTEXT))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> ring.unwrap(next.id(), byOld, CONTEXT))
        .as("named by the wrong id: the current key does not open it")
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> ring.unwrap(fresh().wrap(new byte[] {1}, CONTEXT), CONTEXT))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void rewrap_movesUnderTheCurrentKey_andSkipsWhatIsAlreadyThere() throws Exception {
    KeyFileRootKey old = fresh();
    KeyFileRootKey next = fresh();
    RootKeyRing ring = RootKeyRing.ring(next, Map.of(old.id(), old));
    byte[] moved = ring.rewrap(old.wrap(new byte[] {9, 9}, CONTEXT), CONTEXT);
    assertThat(next.unwrap(moved, CONTEXT)).containsExactly(9, 9);
    assertThat(ring.rewrap(moved, CONTEXT)).as("already under the current key").isNull();
  }

  @Test
  void objectCrypto_rewrapsRootDataKeys_andKmsMaterial_underTheCurrentId() throws Exception {
    KeyFileRootKey old = fresh();
    KeyFileRootKey next = fresh();
    RootKeyRing ring = RootKeyRing.ring(next, Map.of(old.id(), old));
    DataKey original = new ObjectCrypto(old).newDataKey();
    ObjectCrypto crypto = new ObjectCrypto(ring);
    try (DataKey moved = crypto.rewrapUnderRoot(original.keyRef(), original.wrapped())) {
      assertThat(moved.keyRef()).isEqualTo(next.id());
      try (DataKey back = new ObjectCrypto(next).unwrap(moved.keyRef(), moved.wrapped())) {
        assertThat(back.material()).isEqualTo(original.material());
      }
    }
    // Before the re-wrap, the ring still opens the old data key; the new key alone does not.
    assertThat(crypto.unwrap(original.keyRef(), original.wrapped()).material())
        .isEqualTo(original.material());
    assertThatThrownBy(() -> new ObjectCrypto(next).unwrap(original.keyRef(), original.wrapped()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(old.id());

    KmsKeyVersion v = KmsMaterial.generate(old, "k", 3, Instant.EPOCH);
    KmsKeyVersion rewrapped = KmsMaterial.rewrap(ring, v);
    assertThat(rewrapped.rootKeyId()).isEqualTo(next.id());
    assertThat(rewrapped.version()).isEqualTo(3);
    assertThat(KmsMaterial.open(next, rewrapped).material())
        .isEqualTo(KmsMaterial.open(old, v).material());
  }

  @Test
  void pin_rotatedTo_listsTheRetiredKey_roundTrips_andChecksIt() throws Exception {
    KeyFileRootKey old = fresh();
    KeyFileRootKey next = fresh();
    RootKeyPin pin = RootKeyPin.of(Mode.FILE, old).rotatedTo(next);
    pin.write(dir);
    assertThat(Files.readString(dir.resolve(RootKeyPin.FILE_NAME))).contains("format=2");
    RootKeyPin read = RootKeyPin.read(dir).orElseThrow();
    assertThat(read).isEqualTo(pin);
    assertThat(read.id()).isEqualTo(next.id());
    assertThat(read.retiredIds()).containsExactly(old.id());
    read.requireKey(next);
    read.requireRetired(old.id(), old);
    assertThatThrownBy(() -> read.requireRetired(old.id(), next))
        .isInstanceOf(RootKeyPin.MismatchException.class);
    assertThatThrownBy(() -> read.requireRetired(next.id(), next))
        .hasMessageContaining("is not a retired root key");

    read.withoutRetired().write(dir);
    assertThat(Files.readString(dir.resolve(RootKeyPin.FILE_NAME))).contains("format=1");
    assertThat(RootKeyPin.read(dir).orElseThrow().retiredIds()).isEmpty();
  }

  @Test
  void signingKey_rewrappedAndRotated_oldPublicKeyStaysPublished() throws Exception {
    KeyFileRootKey old = fresh();
    KeyFileRootKey next = fresh();
    SigningKey first = SigningKey.openOrCreate(dir, old);
    RootKeyRing ring = RootKeyRing.ring(next, Map.of(old.id(), old));
    assertThat(SigningKey.rewrap(dir, ring)).isTrue();
    assertThat(SigningKey.rewrap(dir, ring)).as("already under the new key").isFalse();
    SigningKey reopened = SigningKey.openOrCreate(dir, next);
    assertThat(reopened.publicKeyBase64()).isEqualTo(first.publicKeyBase64());

    byte[] data = {1, 2, 3};
    byte[] oldSignature = first.sign(data);
    String pem = SigningKey.rotate(dir, next, Instant.parse("2026-12-06T09:00:00Z"));
    SigningKey rotated = SigningKey.openOrCreate(dir, next);
    assertThat(rotated.publicKeyPem()).isEqualTo(pem).isNotEqualTo(first.publicKeyPem());
    assertThat(SigningKey.retiredPem(dir))
        .contains("# retired 2026-12-06T09:00:00Z", first.publicKeyPem());
    assertThat(rotated.publishedKeysPem()).startsWith(pem).contains(first.publicKeyPem());
    assertThat(SigningKey.verify(first.publicKeyPem(), data, oldSignature)).isTrue();
    assertThat(SigningKey.verify(pem, data, oldSignature)).isFalse();
  }
}
