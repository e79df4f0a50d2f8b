package fr.coffre.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class EscrowShareTest {
  private static final byte[] DATA =
      HexFormat.of().parseHex("9d39a44ea692370e5865a8edf169ca9c6947bca23aa050e485c1f66386cc22fa");

  private static EscrowShare share() {
    return new EscrowShare("file:0123456789abcdef", "1a2b3c4d", "alice", 2, 5, 3, DATA);
  }

  @Test
  void encode_thenParse_givesTheSameShare() {
    String line = share().encode();
    assertThat(line)
        .startsWith(
            "coffre-share-1 key=file:0123456789abcdef set=1a2b3c4d custodian=alice share=2/5"
                + " threshold=3 data=9d39-a44e-")
        .containsPattern(" check=[0-9a-f]{8}$");
    assertThat(EscrowShare.parse(line)).isEqualTo(share());
    assertThat(EscrowShare.parse(line).data()).isEqualTo(DATA);
  }

  @Test
  void parse_toleratesComments_lineBreaks_upperCase_andSpacesBetweenGroups() {
    String line = share().encode();
    String data = line.substring(line.indexOf("data=") + 5, line.indexOf(" check="));
    String typed =
        "# a comment the escrow wrote\n\n"
            + line.replace(data, data.toUpperCase(Locale.ROOT).replace("-", " "))
                .replace(" threshold=", "\n  threshold=")
            + "\n";
    assertThat(EscrowShare.parse(typed)).isEqualTo(share());
  }

  @Test
  void parse_aMistypedCharacter_isCaughtByTheCheck() {
    String line = share().encode();
    int at = line.indexOf("data=") + 5;
    char c = line.charAt(at) == '9' ? '8' : '9';
    String typo = line.substring(0, at) + c + line.substring(at + 1);
    assertThatThrownBy(() -> EscrowShare.parse(typo))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("check value does not match");
    String otherIndex = line.replace("share=2/5", "share=3/5");
    assertThatThrownBy(() -> EscrowShare.parse(otherIndex))
        .hasMessageContaining("check value does not match");
  }

  @Test
  void parse_badInput_saysWhatIsWrong() {
    assertThatThrownBy(() -> EscrowShare.parse("hello"))
        .hasMessageContaining("not a Coffre root key share");
    assertThatThrownBy(() -> EscrowShare.parse(""))
        .hasMessageContaining("not a Coffre root key share");
    String line = share().encode();
    assertThatThrownBy(() -> EscrowShare.parse(line.replace(" threshold=3", "")))
        .hasMessageContaining("field 'threshold' is missing");
    assertThatThrownBy(() -> EscrowShare.parse(line + " extra=1"))
        .hasMessageContaining("unknown field 'extra'");
    assertThatThrownBy(() -> EscrowShare.parse(line.replace("data=9d39", "data=zz39")))
        .hasMessageContaining("not hexadecimal");
    assertThatThrownBy(() -> EscrowShare.parse(line.replace("share=2/5", "share=two/5")))
        .hasMessageContaining("share index 'two' is not a number");
  }

  @Test
  void constructor_refusesBadFields() {
    assertThatThrownBy(() -> new EscrowShare("nokey", "1a2b3c4d", "alice", 1, 5, 3, DATA))
        .hasMessageContaining("not a root key id");
    assertThatThrownBy(
            () -> new EscrowShare("file:0123", "1a2b3c4d", "../etc/passwd", 1, 5, 3, DATA))
        .hasMessageContaining("custodian name");
    assertThatThrownBy(() -> new EscrowShare("file:0123", "1a2b3c4d", "alice", 6, 5, 3, DATA))
        .hasMessageContaining("outside 1..5");
    assertThatThrownBy(() -> new EscrowShare("file:0123", "1a2b3c4d", "alice", 1, 5, 1, DATA))
        .hasMessageContaining("at least 2");
  }

  @Test
  void toString_neverShowsTheData() {
    assertThat(share().toString()).doesNotContain("9d39").contains("2/5", "alice");
  }
}
