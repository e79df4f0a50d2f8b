package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.CorruptDataException;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectChecksum;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributesCodecTest {
  @Test
  void decode_encoded_roundTrips() {
    var a =
        new ObjectAttributes(
            "text/plain",
            null,
            "attachment; filename=\"é.txt\"",
            "fr",
            "no-cache",
            null,
            Map.of("owner", "ville-de-lyon", "ünïcode", "välue"));
    assertThat(AttributesCodec.decode(AttributesCodec.encode(a))).isEqualTo(a);
  }

  @Test
  void decode_encodedWithTagsAndChecksum_roundTrips() {
    var a =
        new ObjectAttributes(
            null,
            null,
            null,
            null,
            null,
            null,
            Map.of(),
            Map.of("projet", "santé", "k", ""),
            new ObjectChecksum(
                "CRC32", ObjectChecksum.COMPOSITE, "AAAAAA==-2", List.of("AQIDBA==", "BQYHCA==")));
    ObjectAttributes back = AttributesCodec.decode(AttributesCodec.encode(a));
    assertThat(back).isEqualTo(a);
    assertThat(back.checksum().partValues()).containsExactly("AQIDBA==", "BQYHCA==");
    var pending =
        ObjectAttributes.EMPTY.withChecksum(
            new ObjectChecksum("SHA256", "COMPOSITE", null, List.of()));
    assertThat(AttributesCodec.decode(AttributesCodec.encode(pending))).isEqualTo(pending);
  }

  @Test
  void decode_versionOneRecord_hasNoTagsNorChecksum() throws Exception {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.io.DataOutputStream(bytes)) {
      out.writeByte(1);
      out.writeBoolean(true);
      out.writeUTF("text/plain");
      for (int i = 0; i < 5; i++) {
        out.writeBoolean(false);
      }
      out.writeInt(1);
      out.writeUTF("a");
      out.writeUTF("b");
    }
    ObjectAttributes a = AttributesCodec.decode(bytes.toByteArray());
    assertThat(a.contentType()).isEqualTo("text/plain");
    assertThat(a.userMetadata()).containsExactly(Map.entry("a", "b"));
    assertThat(a.tags()).isEmpty();
    assertThat(a.checksum()).isNull();
  }

  @Test
  void decode_unknownVersion_isCorrupt() {
    byte[] bytes = AttributesCodec.encode(ObjectAttributes.EMPTY);
    bytes[0] = 9;
    assertThatThrownBy(() -> AttributesCodec.decode(bytes))
        .isInstanceOf(CorruptDataException.class);
  }
}
