package fr.coffre.s3;

import fr.coffre.core.AuditEvent;
import fr.coffre.core.Principal;

/**
 * The audit trail as the S3 edge sees it: every request is recorded before its answer is sent, and
 * a change is recorded before it starts too, so that no change happens unrecorded even when the
 * trail fails in between.
 */
public interface RequestRecorder {
  RequestRecorder NONE =
      new RequestRecorder() {
        @Override
        public void started(AuditEvent event, Principal principal) {}

        @Override
        public void record(AuditEvent event, Principal principal, String claimedAccessKey) {}
      };

  /**
   * Records that a change is about to start (status 0), returning once that is durable; throws (a
   * {@link fr.coffre.core.CoffreException}) when it cannot be recorded, and the change must not
   * start.
   */
  void started(AuditEvent event, Principal principal);

  /**
   * Records a request's outcome, returning once it is durable.
   *
   * @param principal who sent it, or null when authentication failed
   * @param claimedAccessKey the access key the request claimed, when authentication failed
   */
  void record(AuditEvent event, Principal principal, String claimedAccessKey);

  /**
   * Called once a request's outcome is recorded, with what only the HTTP request shows, for the
   * server access logs; by default nothing. Must not throw for a failure of its own.
   */
  default void served(AuditEvent event, Served served) {}

  /**
   * What a server access log line adds to the audit record.
   *
   * @param requestUri {@code METHOD /path?query HTTP/1.1}
   * @param totalMillis from the request's start to its outcome
   */
  record Served(
      String method,
      S3Operation operation,
      String requestUri,
      long totalMillis,
      String referer,
      String userAgent,
      int signatureVersion,
      String host) {}
}
