package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.service.ByteRange;
import fr.coffre.service.ObjectService.OpenObject;

/** GetObject: the content (or one range of it) with the stored headers. */
public final class GetObjectHandler implements S3Action {
  private final ApiContext ctx;

  public GetObjectHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    ByteRange range = Ranges.parse(request.header("range"));
    OpenObject object =
        ctx.objects()
            .get(
                Requests.bucket(request),
                Requests.key(request),
                Requests.readConditions(request, ""),
                range,
                false);
    S3Response response = S3Response.status(range == null ? 200 : 206);
    ObjectHeaders.write(response, object.info(), request);
    if (range != null) {
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
}
