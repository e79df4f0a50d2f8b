package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.ConfigDocuments;

/** GetBucketCors: the bucket's CORS rules, or NoSuchCORSConfiguration. */
public final class GetBucketCorsHandler implements S3Action {
  private final ApiContext ctx;

  public GetBucketCorsHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var rules =
        new CorsRules(ctx)
            .rules(Requests.bucket(request))
            .orElseThrow(
                () ->
                    new S3Exception(S3Error.NO_SUCH_CORS_CONFIGURATION)
                        .with("BucketName", request.bucket()));
    return S3Response.xml(new ConfigDocuments.CorsConfiguration(rules));
  }
}
