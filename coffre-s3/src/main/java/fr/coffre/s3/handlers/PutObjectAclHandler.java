package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** PutObjectAcl: sets the ACL of the current version, or of {@code versionId}. */
public final class PutObjectAclHandler implements S3Action {
  private final ApiContext ctx;

  public PutObjectAclHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    String versionId = request.queryParam("versionId");
    ctx.acls()
        .putObjectAcl(
            Requests.bucket(request), Requests.key(request), versionId, Acls.fromRequest(request));
    return versionId == null
        ? S3Response.ok()
        : S3Response.ok().header("x-amz-version-id", versionId);
  }
}
