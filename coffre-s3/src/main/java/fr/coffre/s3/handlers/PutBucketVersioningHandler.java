package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** PutBucketVersioning: versioning is not available yet; refused so no client believes it is on. */
public final class PutBucketVersioningHandler implements S3Action {
  private final ApiContext ctx;

  public PutBucketVersioningHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ctx.buckets().get(Requests.bucket(request));
    throw new S3Exception(S3Error.NOT_IMPLEMENTED, "Bucket versioning is not available yet");
  }
}
