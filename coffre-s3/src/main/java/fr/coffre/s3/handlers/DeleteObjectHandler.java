package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** DeleteObject: 204 whether or not the key existed, as S3 answers. */
public final class DeleteObjectHandler implements S3Action {
  private final ApiContext ctx;

  public DeleteObjectHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ctx.objects().delete(Requests.bucket(request), Requests.key(request));
    return S3Response.status(204);
  }
}
