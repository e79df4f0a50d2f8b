package fr.coffre.s3.handlers;

import fr.coffre.core.BucketRecord;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.Documents;

/** GetBucketLocation: the bucket's region, empty for us-east-1 as S3 answers. */
public final class GetBucketLocationHandler implements S3Action {
  private final ApiContext ctx;

  public GetBucketLocationHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    BucketRecord bucket = ctx.buckets().get(Requests.bucket(request));
    String region = bucket.region().equals("us-east-1") ? null : bucket.region();
    return S3Response.xml(new Documents.LocationConstraint(region));
  }
}
