package fr.coffre.s3.handlers;

import fr.coffre.core.DefaultRetention;
import fr.coffre.core.ObjectLockException;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.LockDocuments;

/** GetObjectLockConfiguration: 404 for a bucket without Object Lock. */
public final class GetObjectLockConfigurationHandler implements S3Action {
  private final ApiContext ctx;

  public GetObjectLockConfigurationHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = ctx.buckets().get(Requests.bucket(request));
    if (!bucket.objectLock()) {
      throw new ObjectLockException(
          ObjectLockException.Reason.NO_CONFIGURATION,
          "Object Lock configuration does not exist for this bucket");
    }
    DefaultRetention d = ctx.buckets().defaultRetention(bucket.name()).orElse(null);
    return S3Response.xml(
        new LockDocuments.ObjectLockConfiguration(
            "Enabled",
            d == null
                ? null
                : new LockDocuments.Rule(
                    new LockDocuments.DefaultRetention(
                        d.mode().name(),
                        d.days() > 0 ? d.days() : null,
                        d.years() > 0 ? d.years() : null))));
  }
}
