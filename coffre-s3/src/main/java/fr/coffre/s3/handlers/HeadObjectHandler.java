package fr.coffre.s3.handlers;

import fr.coffre.core.InvalidPartNumberException;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.service.ByteRange;
import fr.coffre.service.ObjectInfo;

/** HeadObject: the headers a GET would send (for a range or a part too), without content. */
public final class HeadObjectHandler implements S3Action {
  private final ApiContext ctx;

  public HeadObjectHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ServerSideEncryption.refuseOnRead(request);
    var customer = CustomerKeys.from(request, CustomerKeys.HEADERS, ctx);
    ObjectInfo info =
        ctx.objects()
            .head(
                Requests.bucket(request),
                Requests.key(request),
                Requests.versionId(request),
                Requests.readConditions(request, ""),
                customer);
    ByteRange range = Ranges.parse(request.header("range"));
    Integer partNumber = GetObjectHandler.partNumber(request);
    ByteRange.Slice slice;
    boolean partial = range != null;
    if (partNumber != null) {
      slice = part(info, partNumber);
      partial = !info.partSizes().isEmpty();
    } else {
      slice = range == null ? new ByteRange.Slice(0, info.size()) : range.resolve(info.size());
    }
    S3Response response = S3Response.status(partial ? 206 : 200);
    ObjectHeaders.write(response, info, request);
    if (customer != null) {
      CustomerKeys.echo(response, customer);
    }
    ChecksumHeaders.write(response, info, request, partNumber, range != null);
    if (partNumber != null) {
      response.header("x-amz-mp-parts-count", Integer.toString(info.partsCount()));
    }
    if (partial && slice.length() > 0) {
      response.header(
          "Content-Range",
          "bytes " + slice.start() + "-" + slice.lastInclusive() + "/" + info.size());
    }
    return response.header("Content-Length", Long.toString(slice.length()));
  }

  private static ByteRange.Slice part(ObjectInfo info, int partNumber) {
    if (partNumber > info.partsCount()) {
      throw new InvalidPartNumberException(partNumber, info.partsCount());
    }
    if (info.partSizes().isEmpty()) {
      return new ByteRange.Slice(0, info.size());
    }
    long start = 0;
    for (int i = 0; i < partNumber - 1; i++) {
      start += info.partSizes().get(i);
    }
    return new ByteRange.Slice(start, info.partSizes().get(partNumber - 1));
  }
}
