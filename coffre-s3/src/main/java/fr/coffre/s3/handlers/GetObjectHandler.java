package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.service.ByteRange;
import fr.coffre.service.ObjectService.OpenObject;

/** GetObject: the content (one range of it, or one part of it) with the stored headers. */
public final class GetObjectHandler implements S3Action {
  private final ApiContext ctx;

  public GetObjectHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ServerSideEncryption.refuseOnRead(request);
    var customer = CustomerKeys.from(request, CustomerKeys.HEADERS, ctx);
    ByteRange range = Ranges.parse(request.header("range"));
    Integer partNumber = partNumber(request);
    if (partNumber != null && range != null) {
      throw new S3Exception(
          S3Error.INVALID_REQUEST,
          "Cannot specify both Range header and partNumber query parameter");
    }
    var bucket = Requests.bucket(request);
    var key = Requests.key(request);
    var conditions = Requests.readConditions(request, "");
    OpenObject object =
        partNumber != null
            ? ctx.objects()
                .getPart(bucket, key, Requests.versionId(request), conditions, partNumber, customer)
            : ctx.objects()
                .get(bucket, key, Requests.versionId(request), conditions, range, false, customer);
    boolean partial = range != null || (partNumber != null && !object.info().partSizes().isEmpty());
    S3Response response = S3Response.status(partial ? 206 : 200);
    ObjectHeaders.write(response, object.info(), request);
    if (customer != null) {
      CustomerKeys.echo(response, customer);
    }
    ChecksumHeaders.write(response, object.info(), request, partNumber, range != null);
    if (partNumber != null) {
      response.header("x-amz-mp-parts-count", Integer.toString(object.info().partsCount()));
    }
    if (partial && object.slice().length() > 0) {
      response.header(
          "Content-Range",
          "bytes "
              + object.slice().start()
              + "-"
              + object.slice().lastInclusive()
              + "/"
              + object.info().size());
    }
    return response.content(object.content(), object.slice().length());
  }

  /** The partNumber query parameter (1 to 10000), or null. */
  static Integer partNumber(S3Request request) {
    return request.hasQuery("partNumber") ? Requests.partNumber(request) : null;
  }
}
