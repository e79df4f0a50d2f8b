package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import java.util.List;

/**
 * A browser's CORS preflight (OPTIONS): allowed or refused by the bucket's CORS rules.
 * Unauthenticated, as browsers send it.
 */
public final class PreflightHandler implements S3Action {
  private final ApiContext ctx;

  public PreflightHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    String origin = request.header("origin");
    String method = request.header("access-control-request-method");
    if (origin == null || origin.isBlank()) {
      throw new S3Exception(
          S3Error.BAD_REQUEST, "Insufficient information. Origin request header needed.");
    }
    if (method == null || method.isBlank()) {
      throw new S3Exception(
          S3Error.BAD_REQUEST,
          "Invalid Access-Control-Request-Method: " + (method == null ? "null" : method));
    }
    var rules =
        new CorsRules(ctx)
            .rules(Requests.bucket(request))
            .orElseThrow(
                () ->
                    new S3Exception(
                        S3Error.ACCESS_FORBIDDEN,
                        "CORSResponse: CORS is not enabled for this bucket."));
    List<String> headers = CorsRules.requestedHeaders(request);
    var rule =
        CorsRules.match(rules, origin, method, headers)
            .orElseThrow(() -> new S3Exception(S3Error.ACCESS_FORBIDDEN));
    S3Response response = S3Response.ok();
    CorsRules.grant(rule, origin, headers).forEach(response::header);
    return response;
  }
}
