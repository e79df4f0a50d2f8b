package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.service.ByteRange;
import fr.coffre.service.ObjectInfo;

/** HeadObject: the headers a GET would send, without content. */
public final class HeadObjectHandler implements S3Action {
  private final ApiContext ctx;

  public HeadObjectHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ObjectInfo info =
        ctx.objects()
            .head(Requests.bucket(request), Requests.key(request), Requests.readConditions(request, ""));
    ByteRange range = Ranges.parse(request.header("range"));
    ByteRange.Slice slice =
        range == null ? new ByteRange.Slice(0, info.size()) : range.resolve(info.size());
    S3Response response = S3Response.status(range == null ? 200 : 206);
    ObjectHeaders.write(response, info, request);
    if (range != null) {
      response.header(
          "Content-Range",
          "bytes " + slice.start() + "-" + slice.lastInclusive() + "/" + info.size());
    }
    return response.header("Content-Length", Long.toString(slice.length()));
  }
}
