package fr.coffre.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.coffre.core.AuditEvent;
import fr.coffre.service.AuditService;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the outbox's entries to their targets, oldest first, on one virtual thread. An entry is
 * removed only after its target answered 2xx (at least once). A target that fails (connection
 * refused, timeout, non-2xx) is left alone for an exponentially growing wait (1 s, 2 s, 4 s, ...
 * capped at {@code notifications.max-backoff}); its later entries wait behind the failed one, so a
 * target receives its events in order. Entries are retried without limit: a target down for hours
 * gets everything when it comes back. Each attempt is recorded in the bucket owner's audit chain
 * ({@code NotificationDelivered}, {@code NotificationFailed}).
 *
 * <p>Redirects are not followed: a target answers for itself, it cannot send events elsewhere.
 */
final class WebhookDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
  static final String SIGNATURE_HEADER = "X-Coffre-Signature";
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Webhooks webhooks;
  private final AuditService audit;
  private final Clock clock;
  private final Duration maxBackoff;
  private final Map<String, byte[]> secrets = new HashMap<>();
  private final HttpClient http;
  private final Semaphore wake = new Semaphore(0);
  private final Map<String, Failing> failing = new HashMap<>();
  private volatile @Nullable Thread thread;

  /** A target's current run of failures and when it may be tried again. */
  private record Failing(int failures, Instant retryAt) {}

  WebhookDelivery(Webhooks webhooks, Duration maxBackoff, AuditService audit, Clock clock)
      throws IOException {
    this.webhooks = webhooks;
    this.audit = audit;
    this.clock = clock;
    this.maxBackoff = maxBackoff;
    for (WebhookTarget t : webhooks.targets().values()) {
      byte[] key = Files.readString(t.secretFile()).strip().getBytes(StandardCharsets.UTF_8);
      if (key.length < 16) {
        throw new IllegalArgumentException(
            "notifications.targets["
                + t.name()
                + "].secret-file: "
                + t.secretFile()
                + " holds fewer than 16 bytes; an HMAC key needs more");
      }
      secrets.put(t.name(), key);
    }
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    webhooks.onEnqueue(wake::release);
  }

  /** {@code sha256=HEX(HMAC-SHA256(key, body))}, the value of {@value #SIGNATURE_HEADER}. */
  static String signature(byte[] key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  void start() {
    if (webhooks.targets().isEmpty()) {
      return;
    }
    thread =
        Thread.ofVirtual()
            .name("webhook-delivery")
            .uncaughtExceptionHandler((t, e) -> LOG.error("webhook delivery stopped", e))
            .start(this::run);
  }

  void stop() throws InterruptedException {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      t.join(5_000);
    }
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      Duration wait;
      try {
        wait = deliverDue();
      } catch (IOException | RuntimeException e) {
        LOG.warn("webhook delivery failed; will retry", e);
        wait = FIRST_BACKOFF;
      }
      try {
        wake.drainPermits();
        wake.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One pass over the outbox; how long to wait before the next (at most a second). */
  Duration deliverDue() throws IOException {
    Duration wait = Duration.ofSeconds(1);
    for (EventOutbox.Entry e : webhooks.outbox().pending()) {
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
      Failing f = failing.get(e.target());
      Instant now = clock.instant();
      if (f != null && now.isBefore(f.retryAt())) {
        continue; // the target is in its backoff; its later entries wait behind this one
      }
      byte[] key = secrets.get(e.target());
      if (key == null) {
        LOG.warn(
            "outbox entry {} is for target '{}', which the configuration no longer declares;"
                + " it is kept",
            e.id(),
            e.target());
        continue;
      }
      Outcome outcome = post(webhooks.targets().get(e.target()).url(), key, e);
      record(e, outcome, f == null ? 1 : f.failures() + 1);
      if (outcome.delivered()) {
        webhooks.outbox().remove(e);
        failing.remove(e.target());
      } else {
        int failures = f == null ? 1 : f.failures() + 1;
        Duration backoff = backoff(failures, maxBackoff);
        failing.put(e.target(), new Failing(failures, now.plus(backoff)));
        LOG.info(
            "webhook target '{}' failed ({}); retrying in {}",
            e.target(),
            outcome.error(),
            backoff);
      }
    }
    return wait;
  }

  /** The wait after {@code failures} failures in a row: 1 s doubled each time, capped. */
  static Duration backoff(int failures, Duration max) {
    long seconds = 1L << Math.min(failures - 1, 30);
    Duration d = FIRST_BACKOFF.multipliedBy(seconds);
    return d.compareTo(max) > 0 ? max : d;
  }

  private record Outcome(int status, @Nullable String error) {
    boolean delivered() {
      return error == null;
    }
  }

  private Outcome post(java.net.URI url, byte[] key, EventOutbox.Entry e) {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, signature(key, e.body()))
            .header("X-Coffre-Event-Id", e.id())
            .POST(HttpRequest.BodyPublishers.ofByteArray(e.body()))
            .build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      return status / 100 == 2 ? new Outcome(status, null) : new Outcome(status, "HTTP " + status);
    } catch (IOException ex) {
      return new Outcome(0, ex.getClass().getSimpleName());
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return new Outcome(0, "interrupted");
    }
  }

  private void record(EventOutbox.Entry e, Outcome outcome, int attempt) {
    try {
      JsonNode record = JSON.readTree(e.body()).path("Records").path(0);
      JsonNode s3 = record.path("s3");
      String tenant = s3.path("bucket").path("ownerIdentity").path("principalId").asText(null);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("target", e.target());
      details.put("eventId", e.id());
      details.put("eventName", record.path("eventName").asText());
      details.put("attempt", attempt);
      audit.recordFor(
          tenant,
          new AuditEvent(
              clock.instant(),
              null,
              "notification",
              AuditEvent.Actor.server(),
              null,
              false,
              outcome.delivered() ? "NotificationDelivered" : "NotificationFailed",
              s3.path("bucket").path("name").asText(null),
              URLDecoder.decode(s3.path("object").path("key").asText(), StandardCharsets.UTF_8),
              s3.path("object").path("versionId").asText(null),
              outcome.status(),
              outcome.error(),
              0,
              e.body().length,
              JSON.writeValueAsString(details)));
    } catch (IOException | RuntimeException ex) {
      LOG.warn("the delivery attempt of outbox entry {} could not be recorded", e.id(), ex);
    }
  }
}
