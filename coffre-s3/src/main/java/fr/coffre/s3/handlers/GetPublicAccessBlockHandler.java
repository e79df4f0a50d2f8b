package fr.coffre.s3.handlers;

import fr.coffre.core.AclException;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.AclDocuments;
import fr.coffre.service.PublicAccessBlock;

/** GetPublicAccessBlock: the bucket's Block Public Access (404 without one). */
public final class GetPublicAccessBlockHandler implements S3Action {
  private final ApiContext ctx;

  public GetPublicAccessBlockHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket);
    PublicAccessBlock b =
        ctx.acls()
            .publicAccessBlock(bucket)
            .orElseThrow(
                () ->
                    new AclException(
                        AclException.Reason.NO_PUBLIC_ACCESS_BLOCK,
                        "The public access block configuration was not found"));
    return S3Response.xml(
        new AclDocuments.PublicAccessBlockConfiguration(
            b.blockPublicAcls(),
            b.ignorePublicAcls(),
            b.blockPublicPolicy(),
            b.restrictPublicBuckets()));
  }
}
