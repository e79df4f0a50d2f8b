package fr.coffre.s3.handlers;

import fr.coffre.core.LockState;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.LockDocuments;
import java.time.format.DateTimeFormatter;

/** GetObjectRetention: a version's retention; 404 NoSuchObjectLockConfiguration if none. */
public final class GetObjectRetentionHandler implements S3Action {
  private final ApiContext ctx;

  public GetObjectRetentionHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    LockState lock =
        ctx.objects()
            .lock(Requests.bucket(request), Requests.key(request), Requests.versionId(request));
    if (lock.mode() == null || lock.retainUntil() == null) {
      throw new S3Exception(
          S3Error.NO_SUCH_OBJECT_LOCK_CONFIGURATION,
          "The specified object does not have a ObjectLock configuration");
    }
    return S3Response.xml(
        new LockDocuments.Retention(
            lock.mode().name(), DateTimeFormatter.ISO_INSTANT.format(lock.retainUntil())));
  }
}
