package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.LifecycleDocuments;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.service.LifecycleJob;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** GetBucketLifecycleConfiguration: the stored rules, or NoSuchLifecycleConfiguration. */
public final class GetBucketLifecycleConfigurationHandler implements S3Action {
  private final ApiContext ctx;

  public GetBucketLifecycleConfigurationHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ctx.buckets().get(bucket);
    String stored =
        ctx.buckets()
            .setting(bucket, LifecycleJob.SETTING)
            .orElseThrow(
                () ->
                    new S3Exception(S3Error.NO_SUCH_LIFECYCLE_CONFIGURATION)
                        .with("BucketName", request.bucket()));
    return S3Response.xml(
        S3Xml.read(
            new ByteArrayInputStream(stored.getBytes(StandardCharsets.UTF_8)),
            LifecycleDocuments.LifecycleConfiguration.class));
  }
}
