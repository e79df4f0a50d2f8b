package fr.coffre.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.crypto.RootKeyPin.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootKeyPinTest {
  @TempDir Path keys;

  @Test
  void write_read_roundTrips_andTheCheckValueRecognisesOnlyItsKey() throws Exception {
    KeyFileRootKey key = KeyFileRootKey.openOrCreate(keys.resolve("dev-root.key"));
    RootKeyPin pin = RootKeyPin.of(Mode.FILE, key);
    pin.write(keys);
    RootKeyPin read = RootKeyPin.read(keys).orElseThrow();
    assertThat(read).isEqualTo(pin);
    read.requireKey(key);

    Files.delete(keys.resolve("dev-root.key"));
    KeyFileRootKey other = KeyFileRootKey.openOrCreate(keys.resolve("dev-root.key"));
    assertThatThrownBy(() -> read.requireKey(other))
        .isInstanceOf(RootKeyPin.MismatchException.class)
        .hasMessageContaining("is not this data directory's root key");
    assertThat(Files.getPosixFilePermissions(keys.resolve(RootKeyPin.FILE_NAME)).toString())
        .isEqualTo("[OWNER_READ, OWNER_WRITE]");
  }

  @Test
  void sameIdOtherMaterial_failsTheCheck() throws Exception {
    KeyFileRootKey key = KeyFileRootKey.openOrCreate(keys.resolve("dev-root.key"));
    RootKeyPin pin = RootKeyPin.of(Mode.HSM, key);
    RootKey impostor =
        new RootKey() {
          final KeyFileRootKey other = KeyFileRootKey.openOrCreate(keys.resolve("other.key"));

          @Override
          public String id() {
            return key.id(); // an HSM key recreated under the same label has the same id
          }

          @Override
          public byte[] wrap(byte[] dataKey, byte[] context)
              throws java.security.GeneralSecurityException {
            return other.wrap(dataKey, context);
          }

          @Override
          public byte[] unwrap(byte[] wrapped, byte[] context)
              throws java.security.GeneralSecurityException {
            return other.unwrap(wrapped, context);
          }
        };
    assertThatThrownBy(() -> pin.requireKey(impostor)).hasMessageContaining("other key material");
  }

  @Test
  void requireMode_namesTheModeExpectedAndHowToStartIt() {
    RootKeyPin pin = new RootKeyPin(Mode.SEALED, "sealed:0011223344556677", "AAAA");
    pin.requireMode(Mode.SEALED, keys);
    assertThatThrownBy(() -> pin.requireMode(Mode.FILE, keys))
        .isInstanceOf(RootKeyPin.MismatchException.class)
        .hasMessageContaining("was created with a passphrase-sealed key")
        .hasMessageContaining("sealed:0011223344556677")
        .hasMessageContaining("COFFRE_ROOT_PASSPHRASE_FILE");
  }

  @Test
  void inferLegacy_readsTheModeFromTheKeyFiles() throws Exception {
    assertThat(RootKeyPin.inferLegacy(keys)).isEmpty();
    Files.writeString(keys.resolve("root-credentials.sealed"), "x");
    assertThat(RootKeyPin.inferLegacy(keys)).contains(Mode.HSM);
    Files.writeString(keys.resolve("dev-root.key"), "x");
    assertThat(RootKeyPin.inferLegacy(keys)).contains(Mode.FILE);
    Files.writeString(keys.resolve("sealed-root.key"), "x");
    assertThat(RootKeyPin.inferLegacy(keys)).contains(Mode.SEALED);
  }

  @Test
  void read_unknownFormat_isRefused() throws Exception {
    Files.writeString(keys.resolve(RootKeyPin.FILE_NAME), "format=9\nmode=file\n");
    assertThatThrownBy(() -> RootKeyPin.read(keys)).hasMessageContaining("unknown format");
  }
}
