package fr.coffre.s3.handlers;

import fr.coffre.core.ETag;
import fr.coffre.core.InvalidRangeException;
import fr.coffre.s3.HttpDates;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.checksum.ChecksumValue;
import fr.coffre.s3.checksum.ComputingInputStream;
import fr.coffre.s3.xml.Documents;
import fr.coffre.service.ByteRange;
import fr.coffre.service.ObjectContent;
import fr.coffre.service.ObjectService.OpenObject;
import java.io.IOException;
import java.io.InputStream;

/** UploadPartCopy: a part whose content is (a range of) an existing object. */
public final class UploadPartCopyHandler implements S3Action {
  private final ApiContext ctx;

  public UploadPartCopyHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) throws IOException {
    int partNumber = Requests.partNumber(request);
    CopyObjectHandler.Source source =
        CopyObjectHandler.Source.parse(request.header("x-amz-copy-source"));
    ByteRange range = copyRange(request.header("x-amz-copy-source-range"));
    var customer = CustomerKeys.from(request, CustomerKeys.HEADERS, ctx);
    var sourceCustomer = CustomerKeys.from(request, CustomerKeys.SOURCE_HEADERS, ctx);
    OpenObject object =
        ctx.objects()
            .get(
                source.bucket(),
                source.key(),
                source.versionId(),
                Requests.readConditions(request, "x-amz-copy-source-"),
                range,
                true,
                sourceCustomer);
    if (range != null && range.last() >= object.info().size()) {
      object.content().close();
      throw new InvalidRangeException(object.info().size());
    }
    ETag etag;
    var bucket = Requests.bucket(request);
    var key = Requests.key(request);
    String uploadId = request.queryParam("uploadId");
    var chosen = ctx.multipart().checksumOf(bucket, key, uploadId, customer);
    try (ObjectContent content = object.content()) {
      InputStream body =
          chosen.isPresent()
              ? new ComputingInputStream(
                  content, ChecksumHeaders.algorithm(chosen.get().algorithm()))
              : content;
      etag =
          ctx.multipart()
              .uploadPart(
                  bucket,
                  key,
                  uploadId,
                  partNumber,
                  body,
                  null,
                  () ->
                      body instanceof ComputingInputStream c
                          ? c.value().map(ChecksumValue::base64).orElse(null)
                          : null,
                  customer);
    }
    S3Response response =
        S3Response.xml(
            new Documents.CopyPartResult(HttpDates.xml(ctx.objects().now()), etag.quoted()));
    // The destination upload's encryption, as UploadPart answers (not the source's).
    ServerSideEncryption.echo(
        response,
        customer == null ? ctx.multipart().kmsKeyArn(bucket, key, uploadId) : null,
        customer);
    return response;
  }

  /** x-amz-copy-source-range: only {@code bytes=first-last}, as S3 requires. */
  private static ByteRange copyRange(String header) {
    if (header == null) {
      return null;
    }
    ByteRange r = Ranges.parse(header);
    if (r == null || r.first() < 0 || r.last() < 0) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "The x-amz-copy-source-range value must be of the form bytes=first-last")
          .with("ArgumentName", "x-amz-copy-source-range");
    }
    return r;
  }
}
