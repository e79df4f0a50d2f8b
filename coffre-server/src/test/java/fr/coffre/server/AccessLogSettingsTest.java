package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** COFFRE_ACCESS_LOG_FLUSH: a number of seconds, a minute when unset, a clear refusal otherwise. */
class AccessLogSettingsTest {
  @Test
  void flushInterval_unset_isAMinute() {
    assertThat(Edges.accessLogFlushInterval(Map.of())).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void flushInterval_seconds_areTaken() {
    assertThat(Edges.accessLogFlushInterval(Map.of("COFFRE_ACCESS_LOG_FLUSH", " 5 ")))
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void flushInterval_outOfRangeOrNotANumber_isRefusedNamingTheVariable() {
    for (String bad : new String[] {"0", "3601", "1m", "-2"}) {
      assertThatThrownBy(() -> Edges.accessLogFlushInterval(Map.of("COFFRE_ACCESS_LOG_FLUSH", bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("COFFRE_ACCESS_LOG_FLUSH")
          .hasMessageContaining("'" + bad + "'");
    }
  }
}
