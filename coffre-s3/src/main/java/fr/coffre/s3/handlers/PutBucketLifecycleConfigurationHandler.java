package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.service.LifecycleJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * PutBucketLifecycleConfiguration: checks the rules as S3 does (see {@link
 * LifecycleConfigurations}) and stores them; the lifecycle job applies them. A Content-MD5, when
 * sent, must match the body (an {@code x-amz-checksum-*} is checked by the pipeline as the body is
 * read).
 */
public final class PutBucketLifecycleConfigurationHandler implements S3Action {
  private final ApiContext ctx;

  public PutBucketLifecycleConfigurationHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) throws IOException, NoSuchAlgorithmException {
    var bucket = Requests.bucket(request);
    byte[] body = request.body().readNBytes(S3Xml.MAX_REQUEST_BYTES + 1);
    byte[] md5 = PutObjectHandler.contentMd5(request);
    if (md5 != null && !Arrays.equals(md5, MessageDigest.getInstance("MD5").digest(body))) {
      throw new S3Exception(S3Error.BAD_DIGEST);
    }
    ctx.buckets().get(bucket);
    var checked = LifecycleConfigurations.check(body);
    ctx.buckets()
        .setSetting(
            bucket,
            LifecycleJob.SETTING,
            new String(S3Xml.write(checked.document()), StandardCharsets.UTF_8));
    return S3Response.ok();
  }
}
