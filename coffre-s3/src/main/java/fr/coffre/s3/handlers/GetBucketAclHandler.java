package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/**
 * GetBucketAcl: the owner has full control and nobody else has access (the only ACL Coffre keeps).
 */
public final class GetBucketAclHandler implements S3Action {
  private final ApiContext ctx;

  public GetBucketAclHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ctx.buckets().get(Requests.bucket(request));
    return S3Response.xml(Acls.ownerOnly(ctx.owner()));
  }
}
