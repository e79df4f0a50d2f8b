package fr.coffre.server;

import fr.coffre.metadata.MetadataStore;
import fr.coffre.s3.RequestObserver;
import fr.coffre.s3.S3Operation;
import io.micrometer.core.instrument.Counter;
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
import java.lang.reflect.Proxy;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's Prometheus metrics (Micrometer): S3 requests by operation and status, their latency,
 * body bytes in and out, the volume's capacity, and the JVM's. Names and meaning are listed in
 * docs/operations.md.
 */
final class Metrics implements RequestObserver, AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Counter received;
  private final Counter sent;

  Metrics(Path volume) {
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

  /** Open connections of a listener, as a gauge. */
  void connections(String listener, java.util.function.IntSupplier open) {
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
            Timer.builder("coffre.metadata.call.duration")
                .description("Time of a metadata store call, by method")
                .tag("method", method.getName())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry)
                .record(Duration.ofNanos(System.nanoTime() - start));
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
