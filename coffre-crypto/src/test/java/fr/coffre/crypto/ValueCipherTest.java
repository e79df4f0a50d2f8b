package fr.coffre.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.CorruptDataException;
import fr.coffre.core.KmsKeyVersion;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ValueCipherTest {
  private static final String ETAG = "0123456789abcdef0123456789abcdef";

  private static RootKey root(int b) throws GeneralSecurityException {
    byte[] m = new byte[32];
    Arrays.fill(m, (byte) b);
    return KeyFileRootKey.of(m);
  }

  @Test
  void seal_thenOpen_givesTheValue_andHidesIt() throws Exception {
    RootKey root = root(1);
    KmsKeyVersion stored = ValueCipher.generate(root, Instant.EPOCH);
    ValueCipher cipher = ValueCipher.open(root, stored);
    String sealed = cipher.seal(ETAG, "etag|b|null|6b");
    assertThat(sealed).doesNotContain(ETAG).isNotEqualTo(cipher.seal(ETAG, "etag|b|null|6b"));
    assertThat(cipher.open(sealed, "etag|b|null|6b")).isEqualTo(ETAG);
    // Another process opening the same stored key reads it too.
    assertThat(ValueCipher.open(root, stored).open(sealed, "etag|b|null|6b")).isEqualTo(ETAG);
  }

  @Test
  void open_otherRowOrAltered_isCorruptData() throws Exception {
    RootKey root = root(1);
    ValueCipher cipher = ValueCipher.open(root, ValueCipher.generate(root, Instant.EPOCH));
    String sealed = cipher.seal(ETAG, "etag|b|null|6b");
    assertThatThrownBy(() -> cipher.open(sealed, "etag|b|null|6c"))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("etag|b|null|6c");
    char[] c = sealed.toCharArray();
    c[10] = c[10] == 'A' ? 'B' : 'A';
    assertThatThrownBy(() -> cipher.open(new String(c), "etag|b|null|6b"))
        .isInstanceOf(CorruptDataException.class);
    assertThatThrownBy(() -> cipher.open("not base64 !", "etag|b|null|6b"))
        .isInstanceOf(CorruptDataException.class);
  }

  @Test
  void storedKey_opensOnlyWithItsRootKey() throws Exception {
    KmsKeyVersion stored = ValueCipher.generate(root(1), Instant.EPOCH);
    assertThat(stored.keyId()).isEqualTo(ValueCipher.KEY_ID);
    assertThatThrownBy(() -> ValueCipher.open(root(2), stored))
        .isInstanceOf(CorruptDataException.class);
  }
}
