package fr.coffre.s3.handlers;

import fr.coffre.core.AclException;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.AclDocuments;
import fr.coffre.service.ObjectOwnership;
import java.util.List;

/**
 * GetBucketOwnershipControls: the bucket's Object Ownership (404 OwnershipControlsNotFoundError
 * without one).
 */
public final class GetBucketOwnershipControlsHandler implements S3Action {
  private final ApiContext ctx;

  public GetBucketOwnershipControlsHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket);
    ObjectOwnership o =
        ctx.acls()
            .ownership(bucket)
            .orElseThrow(
                () ->
                    new AclException(
                        AclException.Reason.NO_OWNERSHIP_CONTROLS,
                        "The bucket ownership controls were not found"));
    return S3Response.xml(
        new AclDocuments.OwnershipControls(List.of(new AclDocuments.Rule(o.awsName()))));
  }
}
