package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.audit.AuditLog;
import fr.coffre.core.AuditEvent;
import fr.coffre.core.SealedException;
import fr.coffre.crypto.KeyFileRootKey;
import fr.coffre.crypto.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-time check that the clock was not set back behind the audit trail; its signer. */
class ServerAuditTest {
  private static final Instant NEWEST = Instant.parse("2026-12-06T10:00:00Z");
  @TempDir Path data;

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

  @Test
  void checkpointWhileSealed_waits_andTheTrailStaysHealthy() throws Exception {
    KeyFileRootKey root = KeyFileRootKey.openOrCreate(data.resolve("root.key"));
    Files.createDirectories(data.resolve("keys"));
    AtomicBoolean sealed = new AtomicBoolean(true);
    Supplier<SigningKey> signing =
        () -> {
          if (sealed.get()) {
            throw new SealedException();
          }
          try {
            return SigningKey.openOrCreate(data.resolve("keys"), root);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    AuditLog log = ServerAudit.open(ServerConfig.Audit.DEFAULTS, data, signing, Clock.systemUTC());
    try {
      log.append(List.of("_system"), event());
      log.checkpoint();
      // Before, the checkpoint failed on the sealed key and the trail stayed unhealthy (readiness
      // 503) after the unseal until some request wrote a record.
      assertThat(log.healthy()).isTrue();
      Path segment = data.resolve("audit/_system");
      assertThat(Files.readString(Files.list(segment).findFirst().orElseThrow()))
          .doesNotContain("\"type\":\"checkpoint\"");
      sealed.set(false);
      log.checkpoint();
      assertThat(log.healthy()).isTrue();
      assertThat(Files.readString(Files.list(segment).findFirst().orElseThrow()))
          .contains("\"type\":\"checkpoint\"");
    } finally {
      log.close();
    }
  }

  private static AuditEvent event() {
    return new AuditEvent(
        Instant.now(),
        "REQ1",
        "s3",
        new AuditEvent.Actor("user", "acme", "123456789012", "alice", "AKIA1", null),
        "127.0.0.1",
        false,
        "PutObject",
        "b",
        "k",
        null,
        200,
        null,
        1,
        0,
        null);
  }
}
