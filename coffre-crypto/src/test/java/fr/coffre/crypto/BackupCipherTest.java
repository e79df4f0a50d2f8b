package fr.coffre.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackupCipherTest {
  private static final BackupCipher.Kdf KDF = BackupCipher.Kdf.fresh();
  private static final BackupCipher CIPHER =
      BackupCipher.derive("correct horse battery".toCharArray(), KDF);

  private static byte[] encrypt(BackupCipher cipher, byte[] plain, String entry)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream enc = cipher.encrypting(out, entry)) {
      enc.write(plain);
    }
    return out.toByteArray();
  }

  private static byte[] decrypt(BackupCipher cipher, byte[] sealed, String entry)
      throws IOException {
    try (InputStream in = cipher.decrypting(new ByteArrayInputStream(sealed), entry)) {
      return in.readAllBytes();
    }
  }

  @Test
  void encrypt_thenDecrypt_givesTheBytesBack_overSeveralSegments() throws IOException {
    byte[] plain = new byte[(3 << 20) + 17];
    new Random(1).nextBytes(plain);
    byte[] sealed = encrypt(CIPHER, plain, "metadata.db");
    assertThat(sealed).hasSizeGreaterThan(plain.length);
    assertThat(decrypt(CIPHER, sealed, "metadata.db")).isEqualTo(plain);
  }

  @Test
  void decrypt_withAnotherPassphrase_fails_andTheKeyCheckDiffers() throws IOException {
    byte[] sealed = encrypt(CIPHER, "rows".getBytes(StandardCharsets.UTF_8), "metadata.db");
    BackupCipher wrong = BackupCipher.derive("wrong horse battery".toCharArray(), KDF);
    assertThat(wrong.keyCheck()).isNotEqualTo(CIPHER.keyCheck());
    assertThat(BackupCipher.derive("correct horse battery".toCharArray(), KDF).keyCheck())
        .isEqualTo(CIPHER.keyCheck());
    assertThatThrownBy(() -> decrypt(wrong, sealed, "metadata.db")).isInstanceOf(IOException.class);
  }

  @Test
  void decrypt_ofAFlippedByte_orUnderAnotherEntryName_fails() throws IOException {
    byte[] sealed = encrypt(CIPHER, new byte[5000], "files.zip");
    assertThatThrownBy(() -> decrypt(CIPHER, sealed, "metadata.db"))
        .isInstanceOf(IOException.class);
    sealed[sealed.length / 2] ^= 1;
    assertThatThrownBy(() -> decrypt(CIPHER, sealed, "files.zip")).isInstanceOf(IOException.class);
  }

  @Test
  void mac_detectsAChangedManifest() {
    byte[] manifest = "{\"created\":\"2026-12-06\"}".getBytes(StandardCharsets.UTF_8);
    String mac = CIPHER.mac(manifest);
    assertThat(CIPHER.macMatches(manifest, mac)).isTrue();
    manifest[3] = 'X';
    assertThat(CIPHER.macMatches(manifest, mac)).isFalse();
  }

  @Test
  void derive_refusesAKdfMadeCostless() {
    BackupCipher.Kdf cheap = new BackupCipher.Kdf(BackupCipher.Kdf.ARGON2ID, 8, 1, 1, KDF.salt());
    assertThatThrownBy(() -> BackupCipher.derive("x".toCharArray(), cheap))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
  }
}
