package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.service.LifecycleJob;

/** DeleteBucketLifecycle: removes the bucket's lifecycle rules (204 even when there were none). */
public final class DeleteBucketLifecycleHandler implements S3Action {
  private final ApiContext ctx;

  public DeleteBucketLifecycleHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ctx.buckets().setSetting(Requests.bucket(request), LifecycleJob.SETTING, null);
    return S3Response.status(204);
  }
}
