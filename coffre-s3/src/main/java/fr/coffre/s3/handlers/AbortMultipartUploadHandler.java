package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/** AbortMultipartUpload: removes the upload and reclaims its parts' blobs. */
public final class AbortMultipartUploadHandler implements S3Action {
  private final ApiContext ctx;

  public AbortMultipartUploadHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ctx.multipart()
        .abort(Requests.bucket(request), Requests.key(request), request.queryParam("uploadId"));
    return S3Response.status(204);
  }
}
