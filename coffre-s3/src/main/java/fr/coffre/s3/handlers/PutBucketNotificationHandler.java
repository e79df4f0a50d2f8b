package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.NotificationDocuments.NotificationConfiguration;
import fr.coffre.s3.xml.S3Xml;
import java.nio.charset.StandardCharsets;

/**
 * PutBucketNotificationConfiguration: checks the rules (every target must be one the operator
 * declared) and stores them; an empty configuration turns notifications off.
 */
public final class PutBucketNotificationHandler implements S3Action {
  private final ApiContext ctx;

  public PutBucketNotificationHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var config = S3Xml.read(request.body(), NotificationConfiguration.class);
    NotificationRules.validate(config, ctx.notifications());
    ctx.buckets()
        .setSetting(
            Requests.bucket(request),
            BucketSettings.NOTIFICATION,
            new String(S3Xml.write(config), StandardCharsets.UTF_8));
    return S3Response.ok();
  }
}
