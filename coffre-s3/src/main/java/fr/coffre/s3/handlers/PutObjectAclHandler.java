package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.service.ReadConditions;

/** PutObjectAcl: accepts the private ACL (owner only), refuses any other as not implemented. */
public final class PutObjectAclHandler implements S3Action {
  private final ApiContext ctx;

  public PutObjectAclHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ctx.objects().head(Requests.bucket(request), Requests.key(request), ReadConditions.NONE);
    Acls.requirePrivate(request, ctx.owner());
    return S3Response.ok();
  }
}
