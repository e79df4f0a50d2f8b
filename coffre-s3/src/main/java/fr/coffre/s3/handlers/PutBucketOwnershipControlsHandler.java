package fr.coffre.s3.handlers;

import fr.coffre.core.InvalidArgumentException;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.AclDocuments;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.service.ObjectOwnership;

/** PutBucketOwnershipControls: BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter. */
public final class PutBucketOwnershipControlsHandler implements S3Action {
  private final ApiContext ctx;

  public PutBucketOwnershipControlsHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket);
    AclDocuments.OwnershipControls controls =
        S3Xml.read(request.body(), AclDocuments.OwnershipControls.class);
    if (controls.rules() == null || controls.rules().size() != 1) {
      throw new S3Exception(S3Error.MALFORMED_XML, "OwnershipControls needs exactly one Rule");
    }
    ObjectOwnership o;
    try {
      o = ObjectOwnership.of(controls.rules().get(0).objectOwnership());
    } catch (InvalidArgumentException e) {
      throw new S3Exception(S3Error.MALFORMED_XML, e.getMessage());
    }
    ctx.acls().putOwnership(bucket, o);
    return S3Response.ok();
  }
}
