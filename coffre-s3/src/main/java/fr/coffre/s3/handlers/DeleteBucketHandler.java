package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** DeleteBucket: only an empty bucket (BucketNotEmpty otherwise). */
public final class DeleteBucketHandler implements S3Action {
  private final ApiContext ctx;

  public DeleteBucketHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ctx.buckets().delete(Requests.bucket(request));
    return S3Response.status(204);
  }
}
