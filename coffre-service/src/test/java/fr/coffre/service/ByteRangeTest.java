package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.InvalidRangeException;
import org.junit.jupiter.api.Test;

class ByteRangeTest {
  @Test
  void resolve_closedRange_clampsToSize() {
    assertThat(new ByteRange(5, 100).resolve(10)).isEqualTo(new ByteRange.Slice(5, 5));
  }

  @Test
  void resolve_openRange_runsToEnd() {
    assertThat(new ByteRange(3, -1).resolve(10)).isEqualTo(new ByteRange.Slice(3, 7));
  }

  @Test
  void resolve_suffixLongerThanObject_isWholeObject() {
    assertThat(ByteRange.suffix(50).resolve(10)).isEqualTo(new ByteRange.Slice(0, 10));
  }

  @Test
  void resolve_suffix_isLastBytes() {
    assertThat(ByteRange.suffix(4).resolve(10)).isEqualTo(new ByteRange.Slice(6, 4));
  }

  @Test
  void resolve_startPastEnd_isInvalid() {
    assertThatThrownBy(() -> new ByteRange(10, 20).resolve(10))
        .isInstanceOf(InvalidRangeException.class);
  }

  @Test
  void resolve_anyRangeOfEmptyObject_isInvalid() {
    assertThatThrownBy(() -> new ByteRange(0, -1).resolve(0))
        .isInstanceOf(InvalidRangeException.class);
    assertThatThrownBy(() -> ByteRange.suffix(5).resolve(0))
        .isInstanceOf(InvalidRangeException.class);
  }
}
