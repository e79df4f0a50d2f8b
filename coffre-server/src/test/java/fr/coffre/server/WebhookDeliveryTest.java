package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import fr.coffre.service.AuditService;
import fr.coffre.service.ObjectEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookDeliveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-12-06T07:00:00.123Z");

  @TempDir Path dir;
  private HttpServer receiver;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> signatures = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);

  @AfterEach
  void stopReceiver() {
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  private URI startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          int s = status.get();
          if (s == 200) {
            bodies.add(new String(body, StandardCharsets.UTF_8));
            signatures.add(ex.getRequestHeaders().getFirst("X-Coffre-Signature"));
          }
          ex.sendResponseHeaders(s, -1);
          ex.close();
        });
    receiver.start();
    return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
  }

  private static ObjectEvent event(String name, String key) {
    return new ObjectEvent(
        name, T0, "acme", "photos", key, "AKIDEXAMPLE", "127.0.0.1", 42, "abc123", null);
  }

  @Test
  void body_followsTheS3EventFormat() throws Exception {
    JsonNode r =
        JSON.readTree(
                S3EventJson.body(
                    event("ObjectCreated:Put", "dir/my photo+1.jpg"), "cfg", "eu-west-3", "00ab"))
            .path("Records")
            .path(0);
    assertThat(r.path("eventVersion").asText()).isEqualTo("2.1");
    assertThat(r.path("eventSource").asText()).isEqualTo("coffre:s3");
    assertThat(r.path("awsRegion").asText()).isEqualTo("eu-west-3");
    assertThat(r.path("eventTime").asText()).isEqualTo("2026-12-06T07:00:00.123Z");
    assertThat(r.path("eventName").asText()).isEqualTo("ObjectCreated:Put");
    assertThat(r.path("userIdentity").path("principalId").asText()).isEqualTo("AKIDEXAMPLE");
    assertThat(r.path("requestParameters").path("sourceIPAddress").asText()).isEqualTo("127.0.0.1");
    JsonNode s3 = r.path("s3");
    assertThat(s3.path("configurationId").asText()).isEqualTo("cfg");
    assertThat(s3.path("bucket").path("name").asText()).isEqualTo("photos");
    assertThat(s3.path("bucket").path("arn").asText()).isEqualTo("arn:aws:s3:::photos");
    assertThat(s3.path("object").path("key").asText()).isEqualTo("dir/my+photo%2B1.jpg");
    assertThat(s3.path("object").path("size").asLong()).isEqualTo(42);
    assertThat(s3.path("object").path("eTag").asText()).isEqualTo("abc123");
    assertThat(s3.path("object").has("versionId")).isFalse();
    assertThat(s3.path("object").path("sequencer").asText()).isEqualTo("00AB");
  }

  @Test
  void signature_isHmacSha256OfTheBody() {
    // RFC 4231 test case 2
    assertThat(
            WebhookDelivery.signature(
                "Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void backoff_doublesUpToItsCap() {
    Duration cap = Duration.ofSeconds(60);
    assertThat(WebhookDelivery.backoff(1, cap)).isEqualTo(Duration.ofSeconds(1));
    assertThat(WebhookDelivery.backoff(2, cap)).isEqualTo(Duration.ofSeconds(2));
    assertThat(WebhookDelivery.backoff(6, cap)).isEqualTo(Duration.ofSeconds(32));
    assertThat(WebhookDelivery.backoff(7, cap)).isEqualTo(cap);
    assertThat(WebhookDelivery.backoff(500, cap)).isEqualTo(cap);
  }

  @Test
  void failingTarget_keepsItsEntries_inOrder_untilItAnswers() throws Exception {
    URI url = startReceiver();
    Path secret = Files.writeString(dir.resolve("secret"), "0123456789abcdef0123");
    ServerConfig.Notifications config =
        new ServerConfig.Notifications(
            List.of(new WebhookTarget("hook", url, secret)), Duration.ofSeconds(1));
    Webhooks webhooks = new Webhooks(config, dir.resolve("data"), "us-east-1");
    MovableClock clock = new MovableClock();
    AuditService noAudit = new AuditService(null, null, null, false);
    WebhookDelivery delivery = new WebhookDelivery(webhooks, config.maxBackoff(), noAudit, clock);

    status.set(503);
    webhooks.enqueue("hook", "c", event("ObjectCreated:Put", "a"));
    webhooks.enqueue("hook", "c", event("ObjectRemoved:Delete", "b"));
    delivery.deliverDue();
    assertThat(webhooks.outbox().size()).isEqualTo(2);
    status.set(200);
    delivery.deliverDue(); // still in its backoff: nothing is tried
    assertThat(bodies).isEmpty();

    // A restart (a new outbox on the same directory) keeps what was not delivered.
    Webhooks reopened = new Webhooks(config, dir.resolve("data"), "us-east-1");
    clock.advance(Duration.ofSeconds(2));
    new WebhookDelivery(reopened, config.maxBackoff(), noAudit, clock).deliverDue();
    assertThat(reopened.outbox().size()).isZero();
    assertThat(bodies).hasSize(2);
    assertThat(JSON.readTree(bodies.get(0)).at("/Records/0/s3/object/key").asText()).isEqualTo("a");
    assertThat(JSON.readTree(bodies.get(1)).at("/Records/0/eventName").asText())
        .isEqualTo("ObjectRemoved:Delete");
    for (int i = 0; i < 2; i++) {
      assertThat(signatures.get(i))
          .isEqualTo(
              WebhookDelivery.signature(
                  "0123456789abcdef0123".getBytes(StandardCharsets.UTF_8),
                  bodies.get(i).getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static final class MovableClock extends Clock {
    private Instant now = T0;

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
