package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.ConfigDocuments;
import fr.coffre.s3.xml.S3Xml;

/** PutObjectTagging: replaces the object's tag set; content and date are unchanged. */
public final class PutObjectTaggingHandler implements S3Action {
  private final ApiContext ctx;

  public PutObjectTaggingHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    var tags =
        Tags.fromDocument(
            S3Xml.read(request.body(), ConfigDocuments.Tagging.class), Tags.MAX_OBJECT_TAGS);
    ctx.objects()
        .setTags(
            Requests.bucket(request), Requests.key(request), Requests.versionId(request), tags);
    return ObjectLockHeaders.versionId(S3Response.ok(), ctx, request);
  }
}
