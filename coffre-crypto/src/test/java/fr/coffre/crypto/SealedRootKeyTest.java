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
    key.unseal("correct horse battery staple".toCharArray());
    assertThat(key.isSealed()).isFalse();
    byte[] wrapped = key.wrap(new byte[32], CONTEXT);
    assertThat(key.unwrap(wrapped, CONTEXT)).hasSize(32);
    assertThat(Files.getPosixFilePermissions(dir.resolve("sealed-root.key")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
  }

  @Test
  void unseal_afterRestart_opensTheSameKey_andAWrongPassphraseDoesNot() throws Exception {
    Path file = dir.resolve("sealed-root.key");
    SealedRootKey first = SealedRootKey.at(file, CHEAP);
    first.unseal("s3cret phrase".toCharArray());
    byte[] wrapped = first.wrap("data key material, 32 bytes!!!!".getBytes(), CONTEXT);

    SealedRootKey wrong = SealedRootKey.at(file, CHEAP);
    assertThatThrownBy(() -> wrong.unseal("not the phrase".toCharArray())).isInstanceOf(GeneralSecurityException.class);
    assertThat(wrong.isSealed()).isTrue();

    SealedRootKey again = SealedRootKey.at(file, CHEAP);
    again.unseal("s3cret phrase".toCharArray());
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(new String(again.unwrap(wrapped, CONTEXT))).isEqualTo("data key material, 32 bytes!!!!");
  }

  @Test
  void unseal_tamperedCostParameters_fails() throws Exception {
    Path file = dir.resolve("sealed-root.key");
    SealedRootKey.at(file, CHEAP).unseal("phrase".toCharArray());
    byte[] bytes = Files.readAllBytes(file);
    bytes[8 + 7] ^= 1; // the memory cost: weakening it must be detected
    Files.write(file, bytes);
    assertThatThrownBy(() -> SealedRootKey.at(file, CHEAP).unseal("phrase".toCharArray()))
        .isInstanceOf(GeneralSecurityException.class);
  }
}
