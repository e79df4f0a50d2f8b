package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import java.util.Map;

/** DeleteObjectTagging: removes the object's tags. */
public final class DeleteObjectTaggingHandler implements S3Action {
  private final ApiContext ctx;

  public DeleteObjectTaggingHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ctx.objects()
        .setTags(
            Requests.bucket(request), Requests.key(request), Requests.versionId(request), Map.of());
    return ObjectLockHeaders.versionId(S3Response.status(204), ctx, request);
  }
}
