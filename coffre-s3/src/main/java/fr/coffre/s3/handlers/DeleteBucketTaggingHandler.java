package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** DeleteBucketTagging: removes the bucket's tag set. */
public final class DeleteBucketTaggingHandler implements S3Action {
  private final ApiContext ctx;

  public DeleteBucketTaggingHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ctx.buckets().setSetting(Requests.bucket(request), BucketSettings.TAGGING, null);
    return S3Response.status(204);
  }
}
