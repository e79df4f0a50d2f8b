package fr.coffre.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TablesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void render_aListOfResources_isATableWithAColumnPerField() throws Exception {
    String text =
        Tables.render(
            JSON.readTree(
                "{\"tenants\":[{\"name\":\"default\",\"accountId\":\"000000000000\",\"enabled\":true},"
                    + "{\"name\":\"mairie\",\"accountId\":\"123456789012\",\"enabled\":false,"
                    + "\"tags\":[\"a\",\"b\"]}]}"));
    assertThat(text)
        .isEqualTo(
            "tenants (2)\n"
                + "NAME     ACCOUNTID     ENABLED  TAGS\n"
                + "default  000000000000  true\n"
                + "mairie   123456789012  false    a, b\n");
  }

  @Test
  void render_oneResource_isFieldLines_nestedAsDottedNames() throws Exception {
    String text =
        Tables.render(
            JSON.readTree(
                "{\"name\":\"mairie\",\"quota\":{\"bytes\":1024,\"objects\":null},\"users\":[]}"));
    assertThat(text)
        .isEqualTo(
            "name:          mairie\nquota.bytes:   1024\nquota.objects: -\nusers:         -\n");
  }

  @Test
  void render_longCellsAreCutInTables_butNeverInSingleValues() throws Exception {
    String longValue = "x".repeat(100);
    assertThat(Tables.render(JSON.readTree("{\"secret\":\"" + longValue + "\"}")))
        .contains(longValue);
    assertThat(Tables.render(JSON.readTree("[{\"v\":\"" + longValue + "\"}]")))
        .doesNotContain(longValue)
        .contains("x".repeat(Tables.MAX_CELL - 1) + "…");
    assertThat(Tables.render(JSON.readTree("[]"))).isEqualTo("(none)\n");
  }
}
