package fr.coffre.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderEncodingTest {
  /** What Jetty hands over for bytes on the wire: one char per byte (ISO-8859-1). */
  private static String asJettyReadsIt(byte[] wire) {
    return new String(wire, StandardCharsets.ISO_8859_1);
  }

  @Test
  void utf8_bytesOnTheWire_areReadAsTheirCharacters() {
    String sent = "Hello Worldé 東京";
    assertThat(S3Handler.utf8(asJettyReadsIt(sent.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(sent);
  }

  @Test
  void utf8_latin1OrAscii_staysAsRead() {
    assertThat(S3Handler.utf8(asJettyReadsIt(new byte[] {'a', (byte) 0xe9}))).isEqualTo("aé");
    assertThat(S3Handler.utf8("plain ascii")).isEqualTo("plain ascii");
  }
}
