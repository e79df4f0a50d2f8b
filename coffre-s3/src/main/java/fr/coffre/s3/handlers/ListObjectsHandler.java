package fr.coffre.s3.handlers;

import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.Documents;

/** ListObjects (version 1): marker-based pages. */
public final class ListObjectsHandler implements S3Action {
  private final ApiContext ctx;

  public ListObjectsHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    boolean url = Listings.urlEncoding(request);
    int maxKeys = Listings.maxKeys(request);
    String prefix = request.queryParam("prefix");
    String delimiter = Listings.emptyToNull(request.queryParam("delimiter"));
    String marker = Listings.emptyToNull(request.queryParam("marker"));
    ListPage page =
        ctx.objects()
            .list(Requests.bucket(request), new ListQuery(prefix, delimiter, marker, maxKeys));
    return S3Response.xml(
        new Documents.ListBucketResult(
            request.bucket(),
            prefix == null ? "" : prefix,
            Listings.encode(marker == null ? "" : marker, url),
            maxKeys,
            delimiter,
            page.truncated(),
            page.truncated() ? Listings.encode(page.last(), url) : null,
            url ? "url" : null,
            Listings.contents(page, url, ctx.bucketOwner(Requests.bucket(request))),
            Listings.prefixes(page, url)));
  }
}
