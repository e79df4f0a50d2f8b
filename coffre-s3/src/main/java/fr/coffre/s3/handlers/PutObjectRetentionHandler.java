package fr.coffre.s3.handlers;

import fr.coffre.core.RetentionMode;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.LockDocuments;
import fr.coffre.s3.xml.S3Xml;
import java.time.Instant;

/**
 * PutObjectRetention: sets a version's retention. One in force can be extended in its own mode; a
 * GOVERNANCE one changed otherwise only with {@code x-amz-bypass-governance-retention} (and the
 * s3:BypassGovernanceRetention right); a COMPLIANCE one never.
 */
public final class PutObjectRetentionHandler implements S3Action {
  private final ApiContext ctx;

  public PutObjectRetentionHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    LockDocuments.Retention doc = S3Xml.read(request.body(), LockDocuments.Retention.class);
    RetentionMode mode = null;
    Instant until = null;
    if (doc.mode() != null || doc.retainUntilDate() != null) {
      mode =
          switch (doc.mode() == null ? "" : doc.mode()) {
            case "GOVERNANCE" -> RetentionMode.GOVERNANCE;
            case "COMPLIANCE" -> RetentionMode.COMPLIANCE;
            default -> throw new S3Exception(S3Error.MALFORMED_XML);
          };
      if (doc.retainUntilDate() == null) {
        throw new S3Exception(S3Error.MALFORMED_XML);
      }
      until = ObjectLockHeaders.date(doc.retainUntilDate().strip());
      if (!until.isAfter(ctx.objects().now())) {
        throw new S3Exception(
            S3Error.INVALID_ARGUMENT, "The retain until date must be in the future!");
      }
    }
    ctx.objects()
        .setRetention(
            Requests.bucket(request),
            Requests.key(request),
            Requests.versionId(request),
            mode,
            until,
            AccessControl.bypassesGovernance(request));
    return S3Response.ok();
  }
}
