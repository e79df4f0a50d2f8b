package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.Documents;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.service.MultipartService.CompletedPart;
import fr.coffre.service.ObjectInfo;
import java.util.List;

/** CompleteMultipartUpload: validates the part list and commits the manifest; no data is copied. */
public final class CompleteMultipartUploadHandler implements S3Action {
  private final ApiContext ctx;

  public CompleteMultipartUploadHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    var key = Requests.key(request);
    Documents.CompleteMultipartUpload body = S3Xml.read(request.body(), Documents.CompleteMultipartUpload.class);
    if (body.parts() == null || body.parts().isEmpty()) {
      throw new S3Exception(S3Error.MALFORMED_XML);
    }
    List<CompletedPart> parts = body.parts().stream().map(p -> {
      if (p.partNumber() == null) {
        throw new S3Exception(S3Error.MALFORMED_XML);
      }
      return new CompletedPart(p.partNumber(), p.etag());
    }).toList();
    ObjectInfo info = ctx.multipart().complete(bucket, key, request.queryParam("uploadId"), parts,
        PutObjectHandler.writeCondition(request));
    return S3Response.xml(new Documents.CompleteMultipartUploadResult(
            "/" + request.bucket() + "/" + request.key(), request.bucket(), request.key(), info.etag().quoted()))
        .header("x-amz-server-side-encryption", "AES256");
  }
}
