package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.LoggingDocuments.BucketLoggingStatus;
import fr.coffre.s3.xml.S3Xml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * PutBucketLogging: checks the target (same tenant, exists, not itself logged) and stores the
 * setting; a status without LoggingEnabled turns logging off.
 */
public final class PutBucketLoggingHandler implements S3Action {
  private final ApiContext ctx;

  public PutBucketLoggingHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    var source = ctx.buckets().get(bucket); // NoSuchBucket before the body is judged
    BucketLoggingStatus status;
    try {
      status = S3Xml.readOptional(request.body(), BucketLoggingStatus.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (status == null || status.loggingEnabled() == null) {
      ctx.buckets().setSetting(bucket, BucketSettings.LOGGING, null);
      return S3Response.ok();
    }
    new LoggingRules(ctx).validate(source, status.loggingEnabled());
    ctx.buckets()
        .setSetting(
            bucket,
            BucketSettings.LOGGING,
            new String(S3Xml.write(status), StandardCharsets.UTF_8));
    return S3Response.ok();
  }
}
