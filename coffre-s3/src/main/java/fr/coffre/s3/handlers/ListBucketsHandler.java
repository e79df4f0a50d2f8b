package fr.coffre.s3.handlers;

import fr.coffre.s3.HttpDates;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.Documents;

/** ListBuckets: every bucket, by name. */
public final class ListBucketsHandler implements S3Action {
  private final ApiContext ctx;

  public ListBucketsHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    return S3Response.xml(
        new Documents.ListAllMyBucketsResult(
            ctx.owner(),
            ctx.buckets().list().stream()
                .map(b -> new Documents.BucketEntry(b.name().value(), HttpDates.xml(b.created())))
                .toList()));
  }
}
