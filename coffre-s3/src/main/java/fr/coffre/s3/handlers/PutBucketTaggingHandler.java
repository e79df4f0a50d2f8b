package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.ConfigDocuments;
import fr.coffre.s3.xml.S3Xml;
import java.nio.charset.StandardCharsets;

/** PutBucketTagging: replaces the bucket's tag set (at most 50 tags). */
public final class PutBucketTaggingHandler implements S3Action {
  private final ApiContext ctx;

  public PutBucketTaggingHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var tags =
        Tags.fromDocument(
            S3Xml.read(request.body(), ConfigDocuments.Tagging.class), Tags.MAX_BUCKET_TAGS);
    ctx.buckets()
        .setSetting(
            Requests.bucket(request),
            BucketSettings.TAGGING,
            new String(S3Xml.write(Tags.document(tags)), StandardCharsets.UTF_8));
    return S3Response.status(204);
  }
}
