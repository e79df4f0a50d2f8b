package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** DeletePublicAccessBlock: no block any more; 204. */
public final class DeletePublicAccessBlockHandler implements S3Action {
  private final ApiContext ctx;

  public DeletePublicAccessBlockHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket);
    ctx.acls().deletePublicAccessBlock(bucket);
    return S3Response.status(204);
  }
}
