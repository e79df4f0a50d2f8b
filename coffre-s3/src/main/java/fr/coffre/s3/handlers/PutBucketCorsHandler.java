package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.ConfigDocuments;
import fr.coffre.s3.xml.S3Xml;
import java.nio.charset.StandardCharsets;

/** PutBucketCors: checks and stores the bucket's CORS rules. */
public final class PutBucketCorsHandler implements S3Action {
  private final ApiContext ctx;

  public PutBucketCorsHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var config = S3Xml.read(request.body(), ConfigDocuments.CorsConfiguration.class);
    CorsRules.validate(config);
    ctx.buckets()
        .setSetting(
            Requests.bucket(request),
            BucketSettings.CORS,
            new String(S3Xml.write(config), StandardCharsets.UTF_8));
    return S3Response.ok();
  }
}
