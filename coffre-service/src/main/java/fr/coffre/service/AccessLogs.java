package fr.coffre.service;

import fr.coffre.core.AuditEvent;
import fr.coffre.core.BucketName;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectKey;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server access logs on their way to their target buckets (docs/access-logs.md).
 *
 * <p>Lines are kept in memory, one buffer per target bucket and key prefix, and {@link #flush}
 * writes each buffer as one new object {@code prefix + yyyy-MM-dd-HH-mm-ss-UNIQUE} through the
 * object service, so a log object is encrypted and placed like any other. Delivery is best effort,
 * as S3 documents it: the lines buffered when the process dies are lost, and a buffer whose target
 * refuses the write (deleted bucket, full volume) is dropped after a warning rather than kept
 * growing. A buffer also flushes early once it holds {@link #MAX_BUFFERED_BYTES}.
 *
 * <p>The writes of log objects do not go through the S3 edge, so they are never logged again: no
 * loop even when a bucket logs into itself.
 */
public final class AccessLogs {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLogs.class);

  /** A buffer this large is written without waiting for the next flush. */
  public static final int MAX_BUFFERED_BYTES = 4 << 20;

  private static final DateTimeFormatter KEY_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/").withZone(ZoneOffset.UTC);

  /**
   * Where lines go: a bucket, and the prefix of the keys written there.
   *
   * @param tenant the tenant that owns the target (and the logged bucket), whose audit chain
   *     records each delivery
   * @param partition for a partitioned key format, the part after the prefix that names the source
   *     ({@code tenant/region/bucket/}), followed in keys by {@code yyyy/MM/dd/}; null for the
   *     simple format
   */
  public record Target(
      String tenant, BucketName bucket, String prefix, @Nullable String partition) {}

  private final ObjectService objects;
  private final AuditService audit;
  private final Clock clock;
  private final Map<Target, StringBuilder> buffers = new LinkedHashMap<>();

  public AccessLogs(ObjectService objects, AuditService audit, Clock clock) {
    this.objects = objects;
    this.audit = audit;
    this.clock = clock;
  }

  /** Adds one line (without its end of line) for {@code target}. */
  public void append(Target target, String line) {
    StringBuilder full = null;
    synchronized (buffers) {
      StringBuilder b = buffers.computeIfAbsent(target, t -> new StringBuilder());
      b.append(line).append('\n');
      if (b.length() >= MAX_BUFFERED_BYTES) {
        full = buffers.remove(target);
      }
    }
    if (full != null) {
      write(target, full);
    }
  }

  /** Writes every buffer as a log object; a target that refuses loses its lines (logged). */
  public void flush() {
    List<Map.Entry<Target, StringBuilder>> taken;
    synchronized (buffers) {
      taken = new ArrayList<>(buffers.entrySet());
      buffers.clear();
    }
    for (Map.Entry<Target, StringBuilder> e : taken) {
      write(e.getKey(), e.getValue());
    }
  }

  /** The number of lines waiting, for tests and metrics. */
  public int pendingLines() {
    synchronized (buffers) {
      return buffers.values().stream()
          .mapToInt(b -> (int) b.chars().filter(c -> c == '\n').count())
          .sum();
    }
  }

  /** The key of a log object written now for {@code target}. */
  String keyFor(Target target) {
    byte[] unique = new byte[8];
    ThreadLocalRandom.current().nextBytes(unique);
    String partition =
        target.partition() == null ? "" : target.partition() + DAY.format(clock.instant());
    return target.prefix()
        + partition
        + KEY_TIME.format(clock.instant())
        + "-"
        + HexFormat.of().withUpperCase().formatHex(unique);
  }

  private void write(Target target, StringBuilder lines) {
    String key = keyFor(target);
    byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
    try {
      objects.put(
          target.bucket(),
          new ObjectKey(key),
          new ByteArrayInputStream(bytes),
          new PutRequest(
              new ObjectAttributes("text/plain", null, null, null, null, null, Map.of()),
              null,
              null,
              null,
              null,
              null));
    } catch (RuntimeException e) {
      LOG.warn(
          "{} bytes of access log for {}/{} could not be written and are lost: {}",
          bytes.length,
          target.bucket().value(),
          key,
          e.toString());
      return;
    }
    try {
      // The delivery is the server's write into the tenant's bucket: audited like any change.
      audit.recordFor(
          target.tenant(),
          new AuditEvent(
              clock.instant(),
              null,
              "server",
              AuditEvent.Actor.server(),
              null,
              false,
              "AccessLogDelivery",
              target.bucket().value(),
              key,
              null,
              200,
              null,
              bytes.length,
              0,
              null));
    } catch (RuntimeException e) {
      LOG.warn(
          "the delivery of access log {}/{} could not be audited: {}",
          target.bucket().value(),
          key,
          e.toString());
    }
  }
}
