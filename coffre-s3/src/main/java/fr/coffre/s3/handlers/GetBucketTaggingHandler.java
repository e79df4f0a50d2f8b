package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.ConfigDocuments;
import fr.coffre.s3.xml.S3Xml;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** GetBucketTagging: the bucket's tag set, or NoSuchTagSet. */
public final class GetBucketTaggingHandler implements S3Action {
  private final ApiContext ctx;

  public GetBucketTaggingHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    String stored =
        ctx.buckets()
            .setting(Requests.bucket(request), BucketSettings.TAGGING)
            .orElseThrow(
                () ->
                    new S3Exception(S3Error.NO_SUCH_TAG_SET).with("BucketName", request.bucket()));
    return S3Response.xml(
        S3Xml.read(
            new ByteArrayInputStream(stored.getBytes(StandardCharsets.UTF_8)),
            ConfigDocuments.Tagging.class));
  }
}
