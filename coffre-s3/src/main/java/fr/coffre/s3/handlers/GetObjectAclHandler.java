package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.service.ReadConditions;

/** GetObjectAcl: the owner has full control and nobody else has access. */
public final class GetObjectAclHandler implements S3Action {
  private final ApiContext ctx;

  public GetObjectAclHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ctx.objects().head(Requests.bucket(request), Requests.key(request), ReadConditions.NONE);
    return S3Response.xml(Acls.ownerOnly(ctx.owner()));
  }
}
