package fr.coffre.s3.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3XmlEscapingTest {
  @Test
  void write_controlCharacters_becomeCharacterReferences_insteadOfFailing() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Code", "NoSuchKey");
    fields.put("Key", "a\u0001b\u001fc\u007fd\te\nf");
    String xml = new String(S3Xml.error(fields), StandardCharsets.UTF_8);
    assertThat(xml).contains("<Key>a&#x1;b&#x1F;c&#x7F;d\te\nf</Key>");
  }

  @Test
  void write_markupCharacters_areEscaped() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Key", "<x> & \"y\" \r");
    String xml = new String(S3Xml.error(fields), StandardCharsets.UTF_8);
    assertThat(xml).contains("<Key>&lt;x&gt; &amp; &quot;y&quot; &#xD;</Key>");
  }

  @Test
  void escaper_charArraysAndStrings_escapeAlike() throws Exception {
    String text = "plain <a> & \u0001 end";
    java.io.StringWriter viaChars = new java.io.StringWriter();
    try (ControlCharacterEscaper w = new ControlCharacterEscaper(viaChars)) {
      w.write(text.toCharArray(), 0, text.length());
    }
    java.io.StringWriter viaString = new java.io.StringWriter();
    try (ControlCharacterEscaper w = new ControlCharacterEscaper(viaString)) {
      w.write(text, 0, text.length());
    }
    assertThat(viaChars.toString())
        .isEqualTo(viaString.toString())
        .isEqualTo("plain &lt;a&gt; &amp; &#x1; end");
  }
}
