package fr.coffre.service;

/**
 * Where object events go once a bucket's notification configuration selects them: the targets the
 * operator declared, and a durable outbox that delivers to them (docs/notifications.md). The S3
 * layer checks configurations against {@link #knowsTarget} and calls {@link #enqueue} after the
 * change committed; an implementation must not block on delivery.
 */
public interface Notifications {
  /** No target declared: every configuration naming one is refused, nothing is enqueued. */
  Notifications NONE =
      new Notifications() {
        @Override
        public boolean knowsTarget(String name) {
          return false;
        }

        @Override
        public void enqueue(String target, String configurationId, ObjectEvent event) {}
      };

  /** Whether the operator declared a target of this name. */
  boolean knowsTarget(String name);

  /**
   * Makes the delivery of {@code event} to {@code target} durable (it survives a restart); it is
   * then delivered at least once, in the background.
   */
  void enqueue(String target, String configurationId, ObjectEvent event);
}
