package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.CorruptDataException;
import fr.coffre.core.ObjectAttributes;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributesCodecTest {
  @Test
  void decode_encoded_roundTrips() {
    var a = new ObjectAttributes("text/plain", null, "attachment; filename=\"é.txt\"", "fr", "no-cache",
        null, Map.of("owner", "ville-de-lyon", "ünïcode", "välue"));
    assertThat(AttributesCodec.decode(AttributesCodec.encode(a))).isEqualTo(a);
  }

  @Test
  void decode_unknownVersion_isCorrupt() {
    byte[] bytes = AttributesCodec.encode(ObjectAttributes.EMPTY);
    bytes[0] = 9;
    assertThatThrownBy(() -> AttributesCodec.decode(bytes)).isInstanceOf(CorruptDataException.class);
  }
}
