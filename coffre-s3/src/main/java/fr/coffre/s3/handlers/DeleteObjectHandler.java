package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.service.ObjectService;

/**
 * DeleteObject: 204 whether or not the key existed, as S3 answers. Without a version id it removes
 * the object of an unversioned bucket or adds a delete marker to a versioned one; with one it
 * removes that version for good, unless Object Lock keeps it.
 */
public final class DeleteObjectHandler implements S3Action {
  private final ApiContext ctx;

  public DeleteObjectHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    var key = Requests.key(request);
    String versionId = Requests.versionId(request);
    ObjectService.Deleted deleted =
        ctx.objects().delete(bucket, key, versionId, AccessControl.bypassesGovernance(request));
    new NotificationRules(ctx).removed(request, bucket, key, versionId, deleted);
    S3Response response = S3Response.status(204);
    if (deleted.deleteMarker()) {
      response.header("x-amz-delete-marker", "true");
    }
    return response.header("x-amz-version-id", deleted.versionId());
  }
}
