package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** GetObjectTagging: the object's tag set (empty when it has none). */
public final class GetObjectTaggingHandler implements S3Action {
  private final ApiContext ctx;

  public GetObjectTaggingHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    S3Response response =
        S3Response.xml(
            Tags.document(
                ctx.objects()
                    .tags(
                        Requests.bucket(request),
                        Requests.key(request),
                        Requests.versionId(request))));
    return ObjectLockHeaders.versionId(response, ctx, request);
  }
}
