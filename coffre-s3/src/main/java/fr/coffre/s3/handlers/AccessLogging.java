package fr.coffre.s3.handlers;

import fr.coffre.core.AuditEvent;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.s3.AccessLogLine;
import fr.coffre.s3.RequestRecorder;
import fr.coffre.service.AccessLogs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each served request on a logged bucket into a server access log line for the bucket's
 * target. Best effort: a failure here is logged and the request's answer stands.
 */
public final class AccessLogging {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLogging.class);

  private final ApiContext ctx;
  private final LoggingRules rules;
  private final AccessLogs logs;

  public AccessLogging(ApiContext ctx, AccessLogs logs) {
    this.ctx = ctx;
    this.rules = new LoggingRules(ctx);
    this.logs = logs;
  }

  /** Appends the line of {@code event} when its bucket is logged. */
  public void served(AuditEvent event, RequestRecorder.Served served) {
    if (event.bucket() == null) {
      return;
    }
    try {
      BucketName name = new BucketName(event.bucket());
      var enabled = rules.configuration(name);
      if (enabled.isEmpty()) {
        return;
      }
      BucketRecord source = ctx.buckets().get(name);
      AccessLogLine line =
          AccessLogLine.of(
              event,
              ctx.acls().tenantGrantee(source.tenant()).id(),
              served.method(),
              served.operation(),
              served.requestUri(),
              served.totalMillis(),
              served.referer(),
              served.userAgent(),
              served.signatureVersion(),
              served.host());
      logs.append(rules.target(source, enabled.get()), line.format());
    } catch (RuntimeException e) {
      // An unknown or invalid bucket has no logging; anything else is worth a line.
      if (!(e instanceof IllegalArgumentException || e instanceof fr.coffre.core.CoffreException)) {
        LOG.warn("request {}: no access log line: {}", event.requestId(), e.toString());
      }
    }
  }
}
