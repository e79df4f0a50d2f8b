package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** DeleteBucketEncryption: back to SSE-S3, which cannot be turned off. */
public final class DeleteBucketEncryptionHandler implements S3Action {
  private final ApiContext ctx;

  public DeleteBucketEncryptionHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket);
    ctx.buckets().setSetting(bucket, BucketSettings.ENCRYPTION, null);
    return S3Response.status(204);
  }
}
