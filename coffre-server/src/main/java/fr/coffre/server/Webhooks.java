package fr.coffre.server;

import fr.coffre.service.Notifications;
import fr.coffre.service.ObjectEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The server's {@link Notifications}: the webhook targets of the configuration, and the durable
 * {@link EventOutbox} that an enqueued event is written to (fsynced) before the S3 answer; the
 * {@link WebhookDelivery} worker then posts it.
 */
final class Webhooks implements Notifications {
  private final Map<String, WebhookTarget> targets;
  private final EventOutbox outbox;
  private final String region;
  private volatile Runnable onEnqueue = () -> {};

  Webhooks(ServerConfig.Notifications config, Path dataDir, String region) throws IOException {
    this.targets =
        config.targets().stream()
            .collect(Collectors.toUnmodifiableMap(WebhookTarget::name, Function.identity()));
    this.outbox = new EventOutbox(dataDir.resolve("notifications").resolve("outbox"));
    this.region = region;
  }

  Map<String, WebhookTarget> targets() {
    return targets;
  }

  EventOutbox outbox() {
    return outbox;
  }

  /** Tells {@code wake} of every event enqueued (the delivery worker). */
  void onEnqueue(Runnable wake) {
    this.onEnqueue = wake;
  }

  @Override
  public boolean knowsTarget(String name) {
    return targets.containsKey(name);
  }

  @Override
  public void enqueue(String target, String configurationId, ObjectEvent event) {
    String id = outbox.newId();
    outbox.add(id, target, S3EventJson.body(event, configurationId, region, id));
    onEnqueue.run();
  }
}
