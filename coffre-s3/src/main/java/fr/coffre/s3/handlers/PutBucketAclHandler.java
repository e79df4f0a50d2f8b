package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** PutBucketAcl: a canned ACL, grant headers or an AccessControlPolicy body. */
public final class PutBucketAclHandler implements S3Action {
  private final ApiContext ctx;

  public PutBucketAclHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ctx.acls().putBucketAcl(Requests.bucket(request), Acls.fromRequest(request));
    return S3Response.ok();
  }
}
