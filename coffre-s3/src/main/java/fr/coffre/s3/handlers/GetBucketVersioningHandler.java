package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.ConfigDocuments;

/** GetBucketVersioning: no Status for a bucket never versioned, as S3 answers. */
public final class GetBucketVersioningHandler implements S3Action {
  private final ApiContext ctx;

  public GetBucketVersioningHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = ctx.buckets().get(Requests.bucket(request));
    return S3Response.xml(
        new ConfigDocuments.VersioningConfiguration(bucket.versioning().status(), null));
  }
}
