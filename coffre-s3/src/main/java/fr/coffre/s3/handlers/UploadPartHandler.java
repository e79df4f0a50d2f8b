package fr.coffre.s3.handlers;

import fr.coffre.core.ETag;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;

/**
 * UploadPart: streams one part into its own encrypted, durable blob, with its checksum in the
 * upload's algorithm (the client's, verified, or computed here).
 */
public final class UploadPartHandler implements S3Action {
  private final ApiContext ctx;

  public UploadPartHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request given) {
    int partNumber = Requests.partNumber(given);
    S3Request request = PutObjectHandler.requireLength(given);
    var bucket = Requests.bucket(request);
    var key = Requests.key(request);
    String uploadId = request.queryParam("uploadId");
    var customer = CustomerKeys.from(request, CustomerKeys.HEADERS, ctx);
    var chosen = ctx.multipart().checksumOf(bucket, key, uploadId, customer);
    ChecksumHeaders.PartBody part = ChecksumHeaders.partBody(request, chosen);
    ETag etag =
        ctx.multipart()
            .uploadPart(
                bucket,
                key,
                uploadId,
                partNumber,
                part.body(),
                PutObjectHandler.contentMd5(request),
                part.checksum(),
                customer);
    S3Response response = S3Response.ok().header("ETag", etag.quoted());
    ServerSideEncryption.echo(
        response,
        customer == null ? ctx.multipart().kmsKeyArn(bucket, key, uploadId) : null,
        customer);
    WriteOptions.echoChecksum(request, response);
    WriteOptions.echoVerifiedChecksum(request, response);
    return response;
  }
}
