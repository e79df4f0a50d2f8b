package fr.coffre.s3.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.service.ByteRange;
import org.junit.jupiter.api.Test;

class RangesTest {
  @Test
  void parse_forms_giveRanges() {
    assertThat(Ranges.parse("bytes=0-9")).isEqualTo(new ByteRange(0, 9));
    assertThat(Ranges.parse("bytes=5-")).isEqualTo(new ByteRange(5, -1));
    assertThat(Ranges.parse("bytes=-3")).isEqualTo(ByteRange.suffix(3));
  }

  @Test
  void parse_unsupportedOrMalformed_isIgnored() {
    assertThat(Ranges.parse(null)).isNull();
    assertThat(Ranges.parse("bytes=0-1,5-6")).isNull();
    assertThat(Ranges.parse("items=0-1")).isNull();
    assertThat(Ranges.parse("bytes=9-2")).isNull();
    assertThat(Ranges.parse("bytes=a-b")).isNull();
    assertThat(Ranges.parse("bytes=-")).isNull();
  }
}
