package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** DeleteBucketPolicy: removes the policy (204 whether or not there was one, as S3 answers). */
public final class DeleteBucketPolicyHandler implements S3Action {
  private final ApiContext ctx;

  public DeleteBucketPolicyHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket);
    ctx.policies().deleteBucketPolicy(bucket);
    return S3Response.status(204);
  }
}
