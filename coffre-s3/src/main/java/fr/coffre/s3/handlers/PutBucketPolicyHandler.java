package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * PutBucketPolicy: a JSON policy document (at most 20 KiB, as in AWS), checked before it is stored:
 * MalformedPolicy names what is wrong.
 */
public final class PutBucketPolicyHandler implements S3Action {
  static final int MAX_POLICY_BYTES = 20 * 1024;
  private final ApiContext ctx;

  public PutBucketPolicyHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket);
    byte[] body;
    try {
      body = request.body().readNBytes(MAX_POLICY_BYTES + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (body.length > MAX_POLICY_BYTES) {
      throw new S3Exception(
          S3Error.MALFORMED_POLICY, "Policy exceeds the maximum allowed document size of 20 KiB");
    }
    if (body.length == 0) {
      throw new S3Exception(
          S3Error.MALFORMED_POLICY, "Policies must be valid JSON and the first byte must be '{'");
    }
    ctx.policies().putBucketPolicy(bucket, new String(body, StandardCharsets.UTF_8));
    return S3Response.status(204);
  }
}
