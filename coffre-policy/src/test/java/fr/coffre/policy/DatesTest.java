package fr.coffre.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "1767225600, 1767225600000",
    "2026-01-01, 1767225600000",
    "2026-01-01T00:00:00Z, 1767225600000",
    "2026-01-01T00:00Z, 1767225600000",
    "2026-01-01T00:00:00.250Z, 1767225600250",
    "2026-01-01T01:00:00+01:00, 1767225600000",
    "2026-01-01T00:00:00, 1767225600000",
  })
  void parse_acceptedForms_giveEpochMillis(String text, long millis) {
    assertThat(Dates.parse(text)).isEqualTo(millis);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "-", "tomorrow", "2026-13-01", "2026-01-01T25:00:00Z", "99999999999999999999"})
  void parse_otherText_isRefused(String text) {
    assertThat(Dates.parse(text)).isEqualTo(Long.MIN_VALUE);
  }
}
