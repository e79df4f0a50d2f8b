package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** GetBucketPolicy: the document as it was put, or NoSuchBucketPolicy. */
public final class GetBucketPolicyHandler implements S3Action {
  private final ApiContext ctx;

  public GetBucketPolicyHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket);
    String policy =
        ctx.policies()
            .bucketPolicy(bucket)
            .orElseThrow(
                () ->
                    new S3Exception(S3Error.NO_SUCH_BUCKET_POLICY)
                        .with("BucketName", bucket.value()));
    byte[] bytes = policy.getBytes(StandardCharsets.UTF_8);
    return S3Response.ok()
        .header("Content-Type", "application/json")
        .content(new ByteArrayInputStream(bytes), bytes.length);
  }
}
