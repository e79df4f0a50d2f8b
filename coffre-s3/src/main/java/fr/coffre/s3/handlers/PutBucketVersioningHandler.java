package fr.coffre.s3.handlers;

import fr.coffre.core.Versioning;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.ConfigDocuments;
import fr.coffre.s3.xml.S3Xml;

/**
 * PutBucketVersioning: Enabled or Suspended. MFA delete is refused (Coffre has no MFA devices); a
 * bucket with Object Lock cannot be suspended.
 */
public final class PutBucketVersioningHandler implements S3Action {
  private final ApiContext ctx;

  public PutBucketVersioningHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    ConfigDocuments.VersioningConfiguration doc =
        S3Xml.read(request.body(), ConfigDocuments.VersioningConfiguration.class);
    if ("Enabled".equals(doc.mfaDelete())) {
      throw new S3Exception(S3Error.NOT_IMPLEMENTED, "MFA delete is not supported");
    }
    Versioning versioning =
        switch (doc.status() == null ? "" : doc.status()) {
          case "Enabled" -> Versioning.ENABLED;
          case "Suspended" -> Versioning.SUSPENDED;
          default -> throw new S3Exception(S3Error.MALFORMED_XML);
        };
    ctx.buckets().get(bucket);
    ctx.buckets().setVersioning(bucket, versioning);
    return S3Response.ok();
  }
}
