package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HsmRotationTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-06T12:34:56Z"), ZoneOffset.UTC);

  @Test
  void defaultLabel_oldLabelAndAUtcStamp_anEarlierStampReplaced() {
    assertThat(HsmRotation.defaultLabel("coffre-root", CLOCK))
        .isEqualTo("coffre-root-20261206123456");
    assertThat(HsmRotation.defaultLabel("coffre-root-20251101080000", CLOCK))
        .isEqualTo("coffre-root-20261206123456");
    assertThat(HsmRotation.defaultLabel("root-2026", CLOCK)).isEqualTo("root-2026-20261206123456");
  }

  @Test
  void label_ofAPkcs11Id_otherIdsRefused() {
    assertThat(HsmRotation.label("pkcs11:coffre-root")).isEqualTo("coffre-root");
    assertThatThrownBy(() -> HsmRotation.label("file:abcd"))
        .isInstanceOf(CustodyException.class)
        .hasMessageContaining("not a PKCS#11 key");
  }
}
