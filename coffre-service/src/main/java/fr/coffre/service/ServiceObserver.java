package fr.coffre.service;

/**
 * What the services tell the server's metrics besides requests: records appended to the audit trail
 * or lost, KMS key operations, placement refusals. Every method does nothing by default; the
 * server's Micrometer metrics implement it. Calls are made on the request's thread and must not
 * block.
 */
public interface ServiceObserver {
  /** The observer that observes nothing. */
  ServiceObserver NONE = new ServiceObserver() {};

  /** A record is durable in the trail. */
  default void auditRecorded() {}

  /** A record could not be written (the request was refused, or lost when fail-open). */
  default void auditFailed() {}

  /**
   * A KMS operation succeeded: {@code create}, {@code enable}, {@code disable}, {@code rotate},
   * {@code rewrap}, {@code schedule-deletion}, {@code cancel-deletion}, {@code destroy}, or a data
   * key wrapped ({@code encrypt}) or unwrapped ({@code decrypt}) under a KMS key.
   */
  default void kmsOperation(String operation) {}

  /** A write or a bucket was refused because its class cannot be placed, for {@code reason}. */
  default void placementRefused(String reason) {}
}
