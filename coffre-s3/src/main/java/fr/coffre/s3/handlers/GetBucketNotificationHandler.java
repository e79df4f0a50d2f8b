package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.NotificationDocuments.NotificationConfiguration;

/** GetBucketNotificationConfiguration: the bucket's rules, or an empty configuration. */
public final class GetBucketNotificationHandler implements S3Action {
  private final ApiContext ctx;

  public GetBucketNotificationHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket); // NoSuchBucket
    return S3Response.xml(
        new NotificationRules(ctx)
            .configuration(bucket)
            .orElse(new NotificationConfiguration(null, null, null)));
  }
}
