package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** DeleteBucketCors: removes the bucket's CORS rules. */
public final class DeleteBucketCorsHandler implements S3Action {
  private final ApiContext ctx;

  public DeleteBucketCorsHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ctx.buckets().setSetting(Requests.bucket(request), BucketSettings.CORS, null);
    return S3Response.status(204);
  }
}
