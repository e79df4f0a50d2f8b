package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** GetObjectAcl: the ACL of the current version, or of {@code versionId}. */
public final class GetObjectAclHandler implements S3Action {
  private final ApiContext ctx;

  public GetObjectAclHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    String versionId = request.queryParam("versionId");
    S3Response r =
        S3Response.xml(
            Acls.document(
                ctx.acls().objectAcl(Requests.bucket(request), Requests.key(request), versionId)));
    return versionId == null ? r : r.header("x-amz-version-id", versionId);
  }
}
