package fr.coffre.server;

import fr.coffre.metadata.MetadataStore;
import fr.coffre.s3.RequestObserver;
import fr.coffre.s3.S3Operation;
import fr.coffre.service.AuditService;
import fr.coffre.service.Scrubber;
import fr.coffre.service.ServiceObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.ToLongFunction;

/**
 * The server's Prometheus metrics (Micrometer): S3 requests by operation and status, their latency,
 * body bytes in and out, the volume's capacity, the audit trail (records, failures, checkpoint
 * age), the seal, KMS operations, placement refusals, the scrubber's findings, and the JVM's. Names
 * and meaning are listed in docs/operations.md.
 */
final class Metrics implements RequestObserver, ServiceObserver, AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Counter received;
  private final Counter sent;
  private final Counter auditRecords;
  private final Counter auditFailures;

  Metrics(Path volume) {
    auditRecords =
        Counter.builder("coffre.audit.records")
            .description("Records made durable in the audit trail")
            .register(registry);
    auditFailures =
        Counter.builder("coffre.audit.failures")
            .description(
                "Records the audit trail could not write (their requests refused, or the records"
                    + " lost when fail-closed is off)")
            .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    received =
        Counter.builder("coffre.s3.received")
            .baseUnit("bytes")
            .description("Request body bytes read from S3 clients, as sent")
            .register(registry);
    sent =
        Counter.builder("coffre.s3.sent")
            .baseUnit("bytes")
            .description("Response body bytes sent to S3 clients")
            .register(registry);
    Gauge.builder("coffre.volume.capacity", volume, v -> space(v, false))
        .baseUnit("bytes")
        .description("Size of the file system holding the volume")
        .tag("volume", "default")
        .register(registry);
    Gauge.builder("coffre.volume.used", volume, v -> space(v, false) - space(v, true))
        .baseUnit("bytes")
        .description("Bytes used on the file system holding the volume")
        .tag("volume", "default")
        .register(registry);
    Gauge.builder("coffre.volume.usable", volume, v -> space(v, true))
        .baseUnit("bytes")
        .description("Bytes still usable on the file system holding the volume")
        .tag("volume", "default")
        .register(registry);
  }

  private static double space(Path volume, boolean usable) {
    try {
      FileStore store = Files.getFileStore(volume);
      return usable ? store.getUsableSpace() : store.getTotalSpace();
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  @Override
  public void completed(
      S3Operation operation, int status, long nanos, long bytesIn, long bytesOut) {
    String op = operation == null ? "Unrouted" : operation.awsName();
    Counter.builder("coffre.s3.requests")
        .description("S3 requests answered, by operation and HTTP status")
        .tag("operation", op)
        .tag("status", Integer.toString(status))
        .register(registry)
        .increment();
    Timer.builder("coffre.s3.request.duration")
        .description("Time to answer an S3 request, by operation")
        .tag("operation", op)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry)
        .record(Duration.ofNanos(nanos));
    received.increment(bytesIn);
    sent.increment(bytesOut);
  }

  @Override
  public void auditRecorded() {
    auditRecords.increment();
  }

  @Override
  public void auditFailed() {
    auditFailures.increment();
  }

  @Override
  public void kmsOperation(String operation) {
    Counter.builder("coffre.kms.operations")
        .description("KMS operations that succeeded, by operation")
        .tag("operation", operation)
        .register(registry)
        .increment();
  }

  @Override
  public void placementRefused(String reason) {
    Counter.builder("coffre.placement.refusals")
        .description("Writes and buckets refused because their class cannot be placed, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /**
   * Gauges read from the running server when scraped: whether the root key is sealed, the age of
   * the audit trail's last checkpoint, and what the scrubber's last pass found.
   *
   * @param sealed whether the root key is sealed now (a key that cannot be sealed: always false)
   */
  void watch(BooleanSupplier sealed, AuditService audit, Scrubber scrubber, Clock clock) {
    Gauge.builder("coffre.sealed", sealed, s -> s.getAsBoolean() ? 1 : 0)
        .description("1 while the root key is sealed (every request refused), else 0")
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "coffre.audit.checkpoint.age",
            audit,
            a ->
                a.lastCheckpoint()
                    .map(t -> Duration.between(t, clock.instant()).toMillis() / 1000.0)
                    .orElse(Double.NaN))
        .baseUnit("seconds")
        .description(
            "Time since the audit trail last signed a checkpoint (NaN before the first since"
                + " start); checkpoints are made only for chains that received records")
        .register(registry);
    FunctionCounter.builder("coffre.audit.syncs", audit, a -> a.recordSyncs())
        .description(
            "Fsyncs of the audit trail that made records durable; records per sync is the size"
                + " of a group commit")
        .register(registry);
    Gauge.builder("coffre.scrub.blobs", scrubber, s -> scrub(s, Scrubber.Result::blobs))
        .description("Blobs the scrubber's last pass checked")
        .register(registry);
    Gauge.builder("coffre.scrub.repaired", scrubber, s -> scrub(s, Scrubber.Result::repaired))
        .description("Copies the scrubber's last pass recreated")
        .register(registry);
    Gauge.builder(
            "coffre.scrub.unrepairable", scrubber, s -> scrub(s, Scrubber.Result::unrepairable))
        .description(
            "Blobs the scrubber's last pass found damaged or misplaced and could not repair")
        .register(registry);
    Gauge.builder("coffre.scrub.problems", scrubber, s -> scrub(s, r -> r.problems().size()))
        .description("Problems the scrubber's last pass reported")
        .register(registry);
    Gauge.builder(
            "coffre.scrub.age",
            scrubber,
            s ->
                s.last() == null
                    ? Double.NaN
                    : Duration.between(s.last().finished(), clock.instant()).toMillis() / 1000.0)
        .baseUnit("seconds")
        .description("Time since the scrubber's last pass ended (NaN before the first)")
        .register(registry);
  }

  private static double scrub(Scrubber s, ToLongFunction<Scrubber.Result> figure) {
    Scrubber.LastRun last = s.last();
    return last == null ? Double.NaN : figure.applyAsLong(last.result());
  }

  /** Open connections of a listener, as a gauge. */
  void connections(String listener, IntSupplier open) {
    Gauge.builder("coffre.http.connections", open, s -> s.getAsInt())
        .description("Open client connections")
        .tag("listener", listener)
        .strongReference(
            true) // a gauge holds its object weakly: the lambda alone would be collected (NaN)
        .register(registry);
  }

  /**
   * The metadata store with every call timed ({@code coffre_metadata_call_duration_seconds} by
   * method): the store is the shared point every request goes through, so its latency is the first
   * thing to look at when requests slow down.
   */
  MetadataStore timed(MetadataStore store) {
    // One timer per method, found once: registering looks the meter up by name and tags.
    Map<Method, Timer> timers = new ConcurrentHashMap<>();
    InvocationHandler timing =
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.invoke(store, args);
          }
          long start = System.nanoTime();
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          } finally {
            timers
                .computeIfAbsent(
                    method,
                    m ->
                        Timer.builder("coffre.metadata.call.duration")
                            .description("Time of a metadata store call, by method")
                            .tag("method", m.getName())
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofNanos(10_000))
                            .maximumExpectedValue(Duration.ofSeconds(10))
                            .register(registry))
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
          }
        };
    return (MetadataStore)
        Proxy.newProxyInstance(
            MetadataStore.class.getClassLoader(), new Class<?>[] {MetadataStore.class}, timing);
  }

  /** The Prometheus text exposition of every metric. */
  String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
