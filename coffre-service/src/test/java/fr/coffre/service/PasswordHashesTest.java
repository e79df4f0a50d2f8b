package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHashesTest {
  @Test
  void hash_verifiesItsPasswordOnly_andIsSaltedEachTime() {
    PasswordHashes h = new PasswordHashes(2000);
    String a = h.hash("un mot de passe".toCharArray());
    String b = h.hash("un mot de passe".toCharArray());
    assertThat(a).startsWith("pbkdf2-sha256$2000$").isNotEqualTo(b);
    assertThat(PasswordHashes.verify("un mot de passe".toCharArray(), a)).isTrue();
    assertThat(PasswordHashes.verify("un mot de passE".toCharArray(), a)).isFalse();
    assertThat(PasswordHashes.verify("x".toCharArray(), "md5$abc")).isFalse();
    assertThat(PasswordHashes.verify("x".toCharArray(), "pbkdf2-sha256$zz$a$b")).isFalse();
  }

  @Test
  void verify_knownPbkdf2Vector() {
    // PBKDF2-HMAC-SHA256("password", "salt", 1 iteration, 32 bytes): the widely published vector
    // 120fb6cf...0be17b.
    String stored =
        "pbkdf2-sha256$1$c2FsdA$"
            + java.util.Base64.getEncoder()
                .withoutPadding()
                .encodeToString(
                    java.util.HexFormat.of()
                        .parseHex(
                            "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"));
    assertThat(PasswordHashes.verify("password".toCharArray(), stored)).isTrue();
  }
}
