package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.LoggingDocuments.BucketLoggingStatus;

/** GetBucketLogging: the bucket's logging status, empty when logging is off. */
public final class GetBucketLoggingHandler implements S3Action {
  private final ApiContext ctx;

  public GetBucketLoggingHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket); // NoSuchBucket
    return S3Response.xml(
        new BucketLoggingStatus(new LoggingRules(ctx).configuration(bucket).orElse(null)));
  }
}
