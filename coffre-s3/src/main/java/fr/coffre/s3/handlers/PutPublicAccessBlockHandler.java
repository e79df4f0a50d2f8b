package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.AclDocuments;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.service.PublicAccessBlock;

/** PutPublicAccessBlock: the four flags; an absent one is false, as in S3. */
public final class PutPublicAccessBlockHandler implements S3Action {
  private final ApiContext ctx;

  public PutPublicAccessBlockHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket);
    AclDocuments.PublicAccessBlockConfiguration c =
        S3Xml.read(request.body(), AclDocuments.PublicAccessBlockConfiguration.class);
    ctx.acls()
        .putPublicAccessBlock(
            bucket,
            new PublicAccessBlock(
                Boolean.TRUE.equals(c.blockPublicAcls()),
                Boolean.TRUE.equals(c.ignorePublicAcls()),
                Boolean.TRUE.equals(c.blockPublicPolicy()),
                Boolean.TRUE.equals(c.restrictPublicBuckets())));
    return S3Response.ok();
  }
}
