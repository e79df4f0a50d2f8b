package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.LockDocuments;

/** GetObjectLegalHold: ON or OFF. */
public final class GetObjectLegalHoldHandler implements S3Action {
  private final ApiContext ctx;

  public GetObjectLegalHoldHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    boolean on =
        ctx.objects()
            .lock(Requests.bucket(request), Requests.key(request), Requests.versionId(request))
            .legalHold();
    return S3Response.xml(new LockDocuments.LegalHold(on ? "ON" : "OFF"));
  }
}
