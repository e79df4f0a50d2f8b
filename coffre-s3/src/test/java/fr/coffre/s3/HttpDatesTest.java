package fr.coffre.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HttpDatesTest {
  @Test
  void header_singleDigitDay_isWrittenWithTwoDigits_asRfc9110Requires() {
    assertThat(HttpDates.header(Instant.parse("2026-12-05T09:03:07.450Z")))
        .isEqualTo("Sat, 05 Dec 2026 09:03:07 GMT");
    assertThat(HttpDates.parseHeader("Sat, 05 Dec 2026 09:03:07 GMT"))
        .isEqualTo(Instant.parse("2026-12-05T09:03:07Z"));
    assertThat(HttpDates.parseHeader("Sat, 5 Dec 2026 09:03:07 GMT"))
        .isEqualTo(Instant.parse("2026-12-05T09:03:07Z"));
  }
}
