package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.ConfigDocuments;
import java.util.List;
/** GetBucketEncryption: every object is encrypted at rest (SSE-S3, AES-256-GCM), whatever the bucket says. */
public final class GetBucketEncryptionHandler implements S3Action {
  private final ApiContext ctx;

  public GetBucketEncryptionHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ctx.buckets().get(Requests.bucket(request));
    return S3Response.xml(new ConfigDocuments.ServerSideEncryptionConfiguration(List.of(
        new ConfigDocuments.EncryptionRule(new ConfigDocuments.EncryptionDefault("AES256", null), false))));
  }
}
