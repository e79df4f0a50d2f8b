package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.ConfigDocuments;
import java.util.List;

/**
 * GetBucketEncryption: the stored default, else SSE-S3 (every object is encrypted at rest whatever
 * the bucket says).
 */
public final class GetBucketEncryptionHandler implements S3Action {
  private final ApiContext ctx;

  public GetBucketEncryptionHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket);
    ConfigDocuments.EncryptionDefault d = ServerSideEncryption.bucketDefault(ctx, bucket);
    return S3Response.xml(
        new ConfigDocuments.ServerSideEncryptionConfiguration(
            List.of(
                new ConfigDocuments.EncryptionRule(
                    d == null ? new ConfigDocuments.EncryptionDefault("AES256", null) : d,
                    false))));
  }
}
