package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** DeleteBucketOwnershipControls: back to no setting (ObjectWriter's behaviour); 204. */
public final class DeleteBucketOwnershipControlsHandler implements S3Action {
  private final ApiContext ctx;

  public DeleteBucketOwnershipControlsHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket);
    ctx.acls().deleteOwnership(bucket);
    return S3Response.status(204);
  }
}
