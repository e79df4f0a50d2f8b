package fr.coffre.s3.handlers;

import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.s3.HttpDates;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.VersionDocuments;

/**
 * ListObjectVersions on an unversioned bucket: each key has one version, whose id is {@code null}
 * and which is the latest, exactly as S3 lists a bucket that never had versioning.
 */
public final class ListObjectVersionsHandler implements S3Action {
  static final String NULL_VERSION = "null";
  private final ApiContext ctx;

  public ListObjectVersionsHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    boolean url = Listings.urlEncoding(request);
    int maxKeys = Listings.maxKeys(request);
    String prefix = request.queryParam("prefix");
    String delimiter = Listings.emptyToNull(request.queryParam("delimiter"));
    String keyMarker = Listings.emptyToNull(request.queryParam("key-marker"));
    ListPage page =
        ctx.objects()
            .list(Requests.bucket(request), new ListQuery(prefix, delimiter, keyMarker, maxKeys));
    var versions =
        page.objects().stream()
            .map(
                o ->
                    new VersionDocuments.Version(
                        Listings.encode(o.key().value(), url),
                        NULL_VERSION,
                        true,
                        HttpDates.xml(o.lastModified()),
                        o.etag().quoted(),
                        o.size(),
                        "STANDARD",
                        ctx.owner()))
            .toList();
    boolean lastIsKey =
        page.truncated()
            && !page.objects().isEmpty()
            && page.objects().get(page.objects().size() - 1).key().value().equals(page.last());
    return S3Response.xml(
        new VersionDocuments.ListVersionsResult(
            request.bucket(),
            prefix == null ? "" : prefix,
            Listings.encode(keyMarker == null ? "" : keyMarker, url),
            request.queryParam("version-id-marker") == null
                ? ""
                : request.queryParam("version-id-marker"),
            page.truncated() ? Listings.encode(page.last(), url) : null,
            lastIsKey ? NULL_VERSION : null,
            maxKeys,
            delimiter,
            page.truncated(),
            url ? "url" : null,
            versions,
            Listings.prefixes(page, url)));
  }
}
