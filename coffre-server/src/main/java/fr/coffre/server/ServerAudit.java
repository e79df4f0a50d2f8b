package fr.coffre.server;

import fr.coffre.audit.AuditLog;
import fr.coffre.audit.Signer;
import fr.coffre.cluster.Refusal;
import fr.coffre.core.AuditEvent;
import fr.coffre.crypto.SigningKey;
import fr.coffre.service.AuditService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server's side of the audit trail: opening it, and the records of the server's own life. */
final class ServerAudit {
  private static final Logger LOG = LoggerFactory.getLogger(ServerAudit.class);

  /**
   * How far the clock may be behind the newest audit record at start: small NTP corrections pass, a
   * clock set back further does not.
   */
  static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(1);

  private ServerAudit() {}

  /**
   * Refuses a start whose clock is earlier than the newest line of the audit trail (beyond {@link
   * #CLOCK_TOLERANCE}): it was set back. Object Lock retention and lifecycle compare dates with
   * this clock, and the trail's times would go backwards.
   */
  static void requireClockNotBehind(Instant newestRecorded, Instant now) {
    if (newestRecorded != null && now.plus(CLOCK_TOLERANCE).isBefore(newestRecorded)) {
      throw new IllegalStateException(
          "the clock ("
              + now
              + ") is earlier than the newest audit record ("
              + newestRecorded
              + "): it was set back since. Object Lock retentions, lifecycle and the audit trail"
              + " depend on it; set the clock right (NTP) and start again");
    }
  }

  /** The audit trail, or null (warned) when the configuration turns it off. */
  static AuditLog open(
      ServerConfig.Audit settings, Path data, Supplier<SigningKey> signing, Clock clock)
      throws IOException {
    if (!settings.enabled()) {
      LOG.warn(
          "AUDIT TRAIL OFF (audit: off): nothing this server does is recorded. For development and"
              + " benchmarks only.");
      return null;
    }
    AuditLog log =
        AuditLog.open(
            data.resolve("audit"),
            new AuditLog.Options(settings.checkpointInterval(), 64L << 20, settings.retention()),
            () -> signer(signing),
            clock);
    try {
      requireClockNotBehind(log.newestTimeAtOpen(), clock.instant());
    } catch (IllegalStateException e) {
      log.close();
      throw e;
    }
    LOG.info(
        "audit trail in {} (retention {} days, {})",
        data.resolve("audit"),
        settings.retention().toDays(),
        settings.failClosed() ? "fail-closed" : "fail-open: unrecordable actions proceed");
    return log;
  }

  /**
   * The audit trail's signer: the signing key is asked for when a checkpoint is made, so that while
   * the root key is sealed {@code signing.get()} throws there and the trail's checkpoints wait
   * (AuditLog's contract) instead of failing and marking the trail unhealthy until its next write.
   */
  static Signer signer(Supplier<SigningKey> signing) {
    SigningKey key = signing.get();
    return new Signer() {
      @Override
      public byte[] sign(byte[] message) {
        return key.sign(message);
      }

      @Override
      public String publicKeyBase64() {
        return key.publicKeyBase64();
      }
    };
  }

  /**
   * The server's start, and anything recovery found, in the system chain; a start under the
   * developer override also gets its own record ({@code InsecureDevStart}) naming what it overrode.
   */
  static void recordStart(
      AuditLog log,
      AuditService audit,
      ServerConfig config,
      SecurityPosture posture,
      int port,
      Clock clock) {
    if (log == null) {
      return; // an insecure-dev start without a trail was warned of by CoffreServer
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("version", CoffreServer.class.getPackage().getImplementationVersion());
    details.put("address", config.host() + ":" + port);
    details.put("recovery", log.recoveryNotices());
    details.put("insecureDev", config.insecureDev());
    audit.recordFor(null, serverEvent(clock, "ServerStart", json(details)));
    if (config.insecureDev()) {
      Map<String, Object> overridden = new LinkedHashMap<>();
      overridden.put(
          "overridden", posture.refusals().stream().map(SecurityPosture.Refusal::problem).toList());
      audit.recordFor(null, serverEvent(clock, "InsecureDevStart", json(overridden)));
    }
  }

  /**
   * Records a call to the internal API refused for want of a valid cluster signature (a stranger,
   * or a node with another secret), in the server's chain. A failure to record is logged: the call
   * was refused either way.
   */
  static void recordClusterRefusal(AuditService audit, Refusal refusal, Clock clock) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("method", refusal.method());
    details.put("path", refusal.path());
    details.put("reason", refusal.reason());
    try {
      audit.recordFor(
          null,
          new AuditEvent(
              clock.instant(),
              null,
              "cluster",
              AuditEvent.Actor.of(null),
              refusal.remoteAddress(),
              false,
              "ClusterCallRefused",
              null,
              null,
              null,
              401,
              "Unauthenticated",
              0,
              0,
              json(details)));
    } catch (RuntimeException e) {
      LOG.warn("a refused cluster call could not be recorded: {}", e.toString());
    }
  }

  static AuditEvent serverEvent(Clock clock, String operation, String details) {
    return new AuditEvent(
        clock.instant(),
        null,
        "server",
        AuditEvent.Actor.server(),
        null,
        false,
        operation,
        null,
        null,
        null,
        200,
        null,
        0,
        0,
        details);
  }

  static String json(Map<String, Object> map) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(map);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Removes export files left by a stop in the middle of a download. */
  static void clearSpool(Path spool) throws IOException {
    if (Files.isDirectory(spool)) {
      try (var files = Files.list(spool)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
    Files.createDirectories(spool);
  }
}
