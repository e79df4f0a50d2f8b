package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.xml.ConfigDocuments;
import fr.coffre.s3.xml.S3Xml;
/** PutBucketEncryption: SSE-S3 (AES256) is accepted, being always on; SSE-KMS awaits tenant keys. */
public final class PutBucketEncryptionHandler implements S3Action {
  private final ApiContext ctx;

  public PutBucketEncryptionHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ctx.buckets().get(Requests.bucket(request));
    var config = S3Xml.read(request.body(), ConfigDocuments.ServerSideEncryptionConfiguration.class);
    if (config.rules() == null || config.rules().isEmpty()) {
      throw new S3Exception(S3Error.MALFORMED_XML);
    }
    for (var rule : config.rules()) {
      if (rule.byDefault() == null || rule.byDefault().algorithm() == null) {
        throw new S3Exception(S3Error.MALFORMED_XML);
      }
      if (!rule.byDefault().algorithm().equals("AES256")) {
        throw new S3Exception(S3Error.NOT_IMPLEMENTED, "Only SSE-S3 (AES256) default encryption is available yet");
      }
    }
    return S3Response.ok();
  }
}
