package fr.coffre.s3.handlers;

import fr.coffre.core.DefaultRetention;
import fr.coffre.core.RetentionMode;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.LockDocuments;
import fr.coffre.s3.xml.S3Xml;

/**
 * PutObjectLockConfiguration: enables Object Lock on a versioned bucket (for good) and sets or
 * removes its default retention. A bucket that is not versioned answers 409 InvalidBucketState.
 */
public final class PutObjectLockConfigurationHandler implements S3Action {
  private final ApiContext ctx;

  public PutObjectLockConfigurationHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    LockDocuments.ObjectLockConfiguration doc =
        S3Xml.read(request.body(), LockDocuments.ObjectLockConfiguration.class);
    if (!"Enabled".equals(doc.objectLockEnabled())) {
      throw new S3Exception(S3Error.MALFORMED_XML);
    }
    DefaultRetention retention = null;
    if (doc.rule() != null) {
      LockDocuments.DefaultRetention d = doc.rule().defaultRetention();
      if (d == null) {
        throw new S3Exception(S3Error.MALFORMED_XML);
      }
      RetentionMode mode =
          switch (d.mode() == null ? "" : d.mode()) {
            case "GOVERNANCE" -> RetentionMode.GOVERNANCE;
            case "COMPLIANCE" -> RetentionMode.COMPLIANCE;
            default -> throw new S3Exception(S3Error.MALFORMED_XML);
          };
      if ((d.days() == null) == (d.years() == null)) {
        throw new S3Exception(S3Error.MALFORMED_XML);
      }
      int days = d.days() == null ? 0 : d.days();
      int years = d.years() == null ? 0 : d.years();
      if (d.days() != null && days <= 0 || d.years() != null && years <= 0) {
        throw new S3Exception(S3Error.INVALID_RETENTION_PERIOD);
      }
      if (days > 36_500 || years > 100) {
        throw new S3Exception(
            S3Error.INVALID_RETENTION_PERIOD, "The retention period is limited to 100 years.");
      }
      retention = new DefaultRetention(mode, days, years);
    }
    ctx.buckets().get(bucket);
    ctx.buckets().setObjectLockConfiguration(bucket, retention);
    return S3Response.ok();
  }
}
