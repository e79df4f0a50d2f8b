package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.LockDocuments;
import fr.coffre.s3.xml.S3Xml;

/** PutObjectLegalHold: ON or OFF, on a version of a bucket with Object Lock. */
public final class PutObjectLegalHoldHandler implements S3Action {
  private final ApiContext ctx;

  public PutObjectLegalHoldHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    LockDocuments.LegalHold doc = S3Xml.read(request.body(), LockDocuments.LegalHold.class);
    boolean on =
        switch (doc.status() == null ? "" : doc.status()) {
          case "ON" -> true;
          case "OFF" -> false;
          default -> throw new S3Exception(S3Error.MALFORMED_XML);
        };
    ctx.objects()
        .setLegalHold(
            Requests.bucket(request), Requests.key(request), Requests.versionId(request), on);
    return S3Response.ok();
  }
}
