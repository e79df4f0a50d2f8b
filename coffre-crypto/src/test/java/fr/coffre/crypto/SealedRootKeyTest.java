package fr.coffre.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.SealedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedRootKeyTest {
  // Cheap Argon2 cost for tests; the server uses Cost.DEFAULT.
  private static final SealedRootKey.Cost CHEAP = new SealedRootKey.Cost(1024, 1, 1);
  private static final byte[] CONTEXT = "ctx".getBytes();
  @TempDir Path dir;

  @Test
  void sealed_refusesEverythingUntilUnsealed() throws Exception {
    SealedRootKey key = SealedRootKey.at(dir.resolve("sealed-root.key"), CHEAP);
    assertThat(key.isSealed()).isTrue();
    assertThatThrownBy(() -> key.wrap(new byte[32], CONTEXT)).isInstanceOf(SealedException.class);
    assertThatThrownBy(key::id).isInstanceOf(SealedException.class);
    key.create("correct horse battery staple".toCharArray());
    assertThat(key.isSealed()).isTrue();
    key.unseal("correct horse battery staple".toCharArray());
    assertThat(key.isSealed()).isFalse();
    byte[] wrapped = key.wrap(new byte[32], CONTEXT);
    assertThat(key.unwrap(wrapped, CONTEXT)).hasSize(32);
    assertThat(Files.getPosixFilePermissions(dir.resolve("sealed-root.key")).toString())
        .isEqualTo("[OWNER_READ, OWNER_WRITE]");
  }

  @Test
  void unseal_afterRestart_opensTheSameKey_andAWrongPassphraseDoesNot() throws Exception {
    Path file = dir.resolve("sealed-root.key");
    SealedRootKey first = SealedRootKey.at(file, CHEAP);
    first.create("s3cret phrase".toCharArray());
    first.unseal("s3cret phrase".toCharArray());
    byte[] wrapped = first.wrap("data key material, 32 bytes!!!!".getBytes(), CONTEXT);

    SealedRootKey wrong = SealedRootKey.at(file, CHEAP);
    assertThatThrownBy(() -> wrong.unseal("not the phrase".toCharArray()))
        .isInstanceOf(GeneralSecurityException.class);
    assertThat(wrong.isSealed()).isTrue();

    SealedRootKey again = SealedRootKey.at(file, CHEAP);
    again.unseal("s3cret phrase".toCharArray());
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(new String(again.unwrap(wrapped, CONTEXT)))
        .isEqualTo("data key material, 32 bytes!!!!");
  }

  @Test
  void unseal_tamperedCostParameters_fails() throws Exception {
    Path file = dir.resolve("sealed-root.key");
    SealedRootKey.at(file, CHEAP).create("a long enough phrase".toCharArray());
    byte[] bytes = Files.readAllBytes(file);
    bytes[8 + 7] ^= 1; // the memory cost: weakening it must be detected
    Files.write(file, bytes);
    assertThatThrownBy(
            () -> SealedRootKey.at(file, CHEAP).unseal("a long enough phrase".toCharArray()))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void unseal_neverCreatesTheKey() throws Exception {
    SealedRootKey key = SealedRootKey.at(dir.resolve("sealed-root.key"), CHEAP);
    assertThatThrownBy(() -> key.unseal("whatever arrives first".toCharArray()))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("no sealed root key yet");
    assertThat(key.exists()).isFalse();
    assertThat(key.isSealed()).isTrue();
  }

  @Test
  void create_weakPassphrase_isRefused_andCreatesNothing() throws Exception {
    SealedRootKey key = SealedRootKey.at(dir.resolve("sealed-root.key"), CHEAP);
    assertThatThrownBy(() -> key.create("abcde".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 12 characters");
    assertThatThrownBy(() -> key.create("aaaaaaaaaaaaaaaa".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different characters");
    assertThat(key.exists()).isFalse();
    key.create("un mot de passe solide".toCharArray());
    assertThatThrownBy(() -> key.create("un autre mot de passe".toCharArray()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("created once");
  }

  @Test
  void unseal_wrongPassphraseWhileUnsealed_isRefused_andTheKeyStaysOpen() throws Exception {
    SealedRootKey key = SealedRootKey.at(dir.resolve("sealed-root.key"), CHEAP);
    key.create("la bonne phrase de passe".toCharArray());
    key.unseal("la bonne phrase de passe".toCharArray());
    assertThatThrownBy(() -> key.unseal("la mauvaise phrase".toCharArray()))
        .isInstanceOf(GeneralSecurityException.class);
    assertThat(key.isSealed()).isFalse();
    key.unseal("la bonne phrase de passe".toCharArray()); // the right one is accepted again
  }

  @Test
  void unseal_admissionRefusal_keepsItSealed() throws Exception {
    SealedRootKey key = SealedRootKey.at(dir.resolve("sealed-root.key"), CHEAP);
    key.create("la bonne phrase de passe".toCharArray());
    assertThat(key.storedId()).get().asString().startsWith("sealed:");
    assertThatThrownBy(
            () ->
                key.unseal(
                    "la bonne phrase de passe".toCharArray(),
                    opened -> {
                      throw new GeneralSecurityException("not this directory's key");
                    }))
        .hasMessageContaining("not this directory's key");
    assertThat(key.isSealed()).isTrue();
    assertThatThrownBy(() -> key.wrap(new byte[32], CONTEXT)).isInstanceOf(SealedException.class);
  }

  @Test
  void exportMaterial_thenCreateFrom_underANewPassphrase_isTheSameKey() throws Exception {
    SealedRootKey key = SealedRootKey.at(dir.resolve("sealed-root.key"), CHEAP);
    key.create("la bonne phrase de passe".toCharArray());
    key.unseal("la bonne phrase de passe".toCharArray());
    byte[] wrapped = key.wrap(new byte[] {1, 2, 3}, CONTEXT);
    assertThatThrownBy(() -> key.exportMaterial("la mauvaise phrase".toCharArray()))
        .isInstanceOf(GeneralSecurityException.class);
    byte[] material = key.exportMaterial("la bonne phrase de passe".toCharArray());
    assertThat(SealedRootKey.of(material).id()).isEqualTo(key.id());

    SealedRootKey copy = SealedRootKey.at(dir.resolve("copy/sealed-root.key"), CHEAP);
    assertThatThrownBy(() -> copy.createFrom(material, "short".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class);
    copy.createFrom(material, "une toute nouvelle phrase".toCharArray());
    assertThat(copy.storedId()).contains(key.id());
    copy.unseal("une toute nouvelle phrase".toCharArray());
    assertThat(copy.unwrap(wrapped, CONTEXT)).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> copy.createFrom(material, "une toute nouvelle phrase".toCharArray()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("never replaced");
  }
}
