package fr.coffre.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.CorruptDataException;
import org.junit.jupiter.api.Test;

class KeyRefTest {
  @Test
  void parse_eachStoredForm_givesItsKind_andTextRoundTrips() {
    assertThat(KeyRef.parse("file:0011223344556677"))
        .isEqualTo(new KeyRef.Root("file:0011223344556677"));
    assertThat(KeyRef.parse("kms:6f1c-key:3")).isEqualTo(new KeyRef.Kms("6f1c-key", 3));
    assertThat(new KeyRef.Kms("6f1c-key", 3).text()).isEqualTo("kms:6f1c-key:3");
    assertThat(KeyRef.Kms.prefixOf("6f1c-key")).isEqualTo("kms:6f1c-key:");
    KeyRef c = KeyRef.parse("sse-c:AAECAw==:BAUGBw==");
    assertThat(c).isInstanceOf(KeyRef.Customer.class);
    assertThat(c.text()).isEqualTo("sse-c:AAECAw==:BAUGBw==");
  }

  @Test
  void parse_malformedKmsOrCustomerReference_isCorruptData_neverARootKey() {
    assertThatThrownBy(() -> KeyRef.parse("kms:no-version"))
        .isInstanceOf(CorruptDataException.class);
    assertThatThrownBy(() -> KeyRef.parse("kms:key:x")).isInstanceOf(CorruptDataException.class);
    assertThatThrownBy(() -> KeyRef.parse("sse-c:only-one-part"))
        .isInstanceOf(CorruptDataException.class);
    assertThatThrownBy(() -> KeyRef.parse("sse-c:!!:??")).isInstanceOf(CorruptDataException.class);
  }
}
