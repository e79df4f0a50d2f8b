package fr.coffre.s3.handlers;

import fr.coffre.core.ObjectChecksum;
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

/**
 * CompleteMultipartUpload: validates the part list (numbers, ETags, part checksums) and commits the
 * manifest; no data is copied. The object's checksum is computed from the parts' checksums.
 */
public final class CompleteMultipartUploadHandler implements S3Action {
  private final ApiContext ctx;

  public CompleteMultipartUploadHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var bucket = Requests.bucket(request);
    var key = Requests.key(request);
    Documents.CompleteMultipartUpload body =
        S3Xml.read(request.body(), Documents.CompleteMultipartUpload.class);
    if (body.parts() == null || body.parts().isEmpty()) {
      throw new S3Exception(S3Error.MALFORMED_XML);
    }
    List<CompletedPart> parts =
        body.parts().stream()
            .map(
                p -> {
                  if (p.partNumber() == null) {
                    throw new S3Exception(S3Error.MALFORMED_XML);
                  }
                  return new CompletedPart(
                      p.partNumber(),
                      p.etag(),
                      ChecksumHeaders.oneOf(
                          p.crc32(), p.crc32c(), p.crc64nvme(), p.sha1(), p.sha256()));
                })
            .toList();
    var customer = CustomerKeys.from(request, CustomerKeys.HEADERS, ctx);
    ObjectInfo info =
        ctx.multipart()
            .complete(
                bucket,
                key,
                request.queryParam("uploadId"),
                parts,
                PutObjectHandler.writeCondition(request),
                MultipartChecksums::combine,
                MultipartChecksums.expected(request),
                customer);
    new NotificationRules(ctx)
        .created(request, request.principal(), bucket, key, "CompleteMultipartUpload", info);
    ObjectChecksum c = info.attributes().checksum();
    S3Response response =
        S3Response.xml(
            new Documents.CompleteMultipartUploadResult(
                "/" + request.bucket() + "/" + request.key(),
                request.bucket(),
                request.key(),
                info.etag().quoted(),
                c == null ? null : ChecksumHeaders.document(c.algorithm(), c.value(), c.type())));
    ServerSideEncryption.echo(response, info.kmsKeyArn(), customer);
    ObjectLockHeaders.versionId(response, info);
    if (c != null) {
      response
          .header(ChecksumHeaders.algorithm(c.algorithm()).headerName(), c.value())
          .header("x-amz-checksum-type", c.type());
    }
    return response;
  }
}
