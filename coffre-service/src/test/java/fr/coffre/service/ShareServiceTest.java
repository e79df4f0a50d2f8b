package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShareServiceTest {

  @Test
  void passwordsAreSaltedPbkdf2AndCheckedExactly() {
    String a = ShareService.hashPassword("correct horse");
    String b = ShareService.hashPassword("correct horse");
    assertThat(a).startsWith("pbkdf2-sha256$" + ShareService.PBKDF2_ITERATIONS + "$").isNotEqualTo(b);
    assertThat(a).doesNotContain("correct horse");
    assertThat(ShareService.checkPassword("correct horse", a)).isTrue();
    assertThat(ShareService.checkPassword("correct horse", b)).isTrue();
    assertThat(ShareService.checkPassword("correct hors", a)).isFalse();
    assertThat(ShareService.checkPassword("Correct horse", a)).isFalse();
    assertThat(ShareService.checkPassword("correct horse", "sha1$1$AA==$AA==")).isFalse();
  }

  @Test
  void tokensAreStoredAsTheirSha256() {
    assertThat(ShareService.hashToken("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
