package fr.coffre.s3.handlers;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.DeleteMarker;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.VersionPage;
import fr.coffre.core.VersionQuery;
import fr.coffre.s3.HttpDates;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.Documents;
import fr.coffre.s3.xml.VersionDocuments;
import fr.coffre.service.AclService;
import java.util.ArrayList;
import java.util.List;

/**
 * ListObjectVersions: every version and delete marker, keys in order and each key's versions newest
 * first. A bucket never versioned lists each object once, as its {@code null} version.
 */
public final class ListObjectVersionsHandler implements S3Action {
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
    String versionIdMarker = Listings.emptyToNull(request.queryParam("version-id-marker"));
    if (versionIdMarker != null && keyMarker == null) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "A version-id marker cannot be specified without a key marker.")
          .with("ArgumentName", "version-id-marker");
    }
    VersionPage page =
        ctx.objects()
            .listVersions(
                Requests.bucket(request),
                new VersionQuery(prefix, delimiter, keyMarker, versionIdMarker, maxKeys));
    AccessControlList.Grantee bucketOwner = ctx.bucketOwner(Requests.bucket(request));
    Documents.Owner bucketOwnerShown = ApiContext.owner(bucketOwner);
    List<VersionDocuments.Version> versions = new ArrayList<>();
    List<VersionDocuments.DeleteMarkerEntry> markers = new ArrayList<>();
    for (VersionPage.Entry e : page.versions()) {
      String key = Listings.encode(e.version().key().value(), url);
      String modified = HttpDates.xml(e.version().lastModified());
      switch (e.version()) {
        case ObjectRecord o ->
            versions.add(
                new VersionDocuments.Version(
                    key,
                    o.versionId(),
                    e.latest(),
                    modified,
                    o.etag().quoted(),
                    o.size(),
                    "STANDARD",
                    ApiContext.owner(AclService.ownerOf(o, bucketOwner))));
        case DeleteMarker m ->
            markers.add(
                new VersionDocuments.DeleteMarkerEntry(
                    key, m.versionId(), e.latest(), modified, bucketOwnerShown));
      }
    }
    List<Documents.CommonPrefix> prefixes =
        page.commonPrefixes().stream()
            .map(p -> new Documents.CommonPrefix(Listings.encode(p, url)))
            .toList();
    return S3Response.xml(
        new VersionDocuments.ListVersionsResult(
            request.bucket(),
            prefix == null ? "" : prefix,
            Listings.encode(keyMarker == null ? "" : keyMarker, url),
            versionIdMarker == null ? "" : versionIdMarker,
            page.truncated() ? Listings.encode(page.nextKeyMarker(), url) : null,
            page.truncated() ? page.nextVersionIdMarker() : null,
            maxKeys,
            delimiter,
            page.truncated(),
            url ? "url" : null,
            versions,
            markers,
            prefixes.isEmpty() ? null : prefixes));
  }
}
