package fr.coffre.s3.handlers;

import fr.coffre.core.BucketRecord;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** HeadBucket: 200 with the bucket's region, or 404. */
public final class HeadBucketHandler implements S3Action {
  private final ApiContext ctx;

  public HeadBucketHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    BucketRecord bucket = ctx.buckets().get(Requests.bucket(request));
    return S3Response.ok()
        .header("x-amz-bucket-region", bucket.region())
        .header(CreateBucketHandler.CLASS_HEADER, bucket.sensitivityClass());
  }
}
