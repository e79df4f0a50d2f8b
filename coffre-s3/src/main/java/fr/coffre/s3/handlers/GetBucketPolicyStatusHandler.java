package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.AclDocuments;

/** GetBucketPolicyStatus: whether the bucket is public, by its ACL or its policy. */
public final class GetBucketPolicyStatusHandler implements S3Action {
  private final ApiContext ctx;

  public GetBucketPolicyStatusHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket);
    boolean isPublic = ctx.acls().publicAcl(bucket) || ctx.policies().bucketPolicyIsPublic(bucket);
    return S3Response.xml(new AclDocuments.PolicyStatus(isPublic));
  }
}
