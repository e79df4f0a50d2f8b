package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The start-time check that the clock was not set back behind the audit trail. */
class ServerAuditTest {
  private static final Instant NEWEST = Instant.parse("2026-12-06T10:00:00Z");

  @Test
  void requireClockNotBehind_clockAfterOrSlightlyBehind_passes() {
    assertThatCode(() -> ServerAudit.requireClockNotBehind(null, NEWEST))
        .doesNotThrowAnyException();
    assertThatCode(() -> ServerAudit.requireClockNotBehind(NEWEST, NEWEST.plusSeconds(3600)))
        .doesNotThrowAnyException();
    assertThatCode(() -> ServerAudit.requireClockNotBehind(NEWEST, NEWEST.minusSeconds(30)))
        .doesNotThrowAnyException();
  }

  @Test
  void requireClockNotBehind_clockSetBack_refusesTheStart_namingBothTimes() {
    assertThatThrownBy(() -> ServerAudit.requireClockNotBehind(NEWEST, NEWEST.minusSeconds(3600)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2026-12-06T09:00:00Z")
        .hasMessageContaining("2026-12-06T10:00:00Z")
        .hasMessageContaining("set back");
  }
}
