package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** PutBucketAcl: accepts the private ACL (owner only), refuses any other as not implemented. */
public final class PutBucketAclHandler implements S3Action {
  private final ApiContext ctx;

  public PutBucketAclHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ctx.buckets().get(Requests.bucket(request));
    Acls.requirePrivate(request, ctx.owner());
    return S3Response.ok();
  }
}
