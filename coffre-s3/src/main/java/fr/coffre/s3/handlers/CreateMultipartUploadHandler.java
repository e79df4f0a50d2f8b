package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.Documents;

/** CreateMultipartUpload: records the upload with the object's future headers. */
public final class CreateMultipartUploadHandler implements S3Action {
  private final ApiContext ctx;

  public CreateMultipartUploadHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    var key = Requests.key(request);
    WriteOptions.refuseUnsupported(request);
    String id = ctx.multipart().create(bucket, key, ObjectHeaders.attributes(request));
    return S3Response.xml(new Documents.InitiateMultipartUploadResult(request.bucket(), request.key(), id))
        .header("x-amz-server-side-encryption", "AES256");
  }
}
