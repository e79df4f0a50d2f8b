package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** GetBucketAcl: the bucket's ACL (by default, its owner's full control only). */
public final class GetBucketAclHandler implements S3Action {
  private final ApiContext ctx;

  public GetBucketAclHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    return S3Response.xml(Acls.document(ctx.acls().bucketAcl(Requests.bucket(request))));
  }
}
