package fr.coffre.s3.handlers;

import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.Documents;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * ListObjectsV2: continuation-token pages. The token is the last key or common prefix of the
 * previous page, base64url-encoded; it carries no secret and is checked like any input.
 */
public final class ListObjectsV2Handler implements S3Action {
  private final ApiContext ctx;

  public ListObjectsV2Handler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    boolean url = Listings.urlEncoding(request);
    int maxKeys = Listings.maxKeys(request);
    String prefix = request.queryParam("prefix");
    String delimiter = Listings.emptyToNull(request.queryParam("delimiter"));
    String startAfter = Listings.emptyToNull(request.queryParam("start-after"));
    String givenToken = request.queryParam("continuation-token");
    String token = Listings.emptyToNull(givenToken);
    String after = token != null ? decodeToken(token) : startAfter;
    ListPage page =
        ctx.objects()
            .list(Requests.bucket(request), new ListQuery(prefix, delimiter, after, maxKeys));
    boolean fetchOwner = "true".equals(request.queryParam("fetch-owner"));
    return S3Response.xml(
        new Documents.ListBucketResultV2(
            request.bucket(),
            prefix == null ? "" : prefix,
            Listings.encode(startAfter, url),
            givenToken,
            page.truncated() ? encodeToken(page.last()) : null,
            page.objects().size() + page.commonPrefixes().size(),
            maxKeys,
            delimiter,
            page.truncated(),
            url ? "url" : null,
            Listings.contents(
                page, url, fetchOwner ? ctx.bucketOwner(Requests.bucket(request)) : null),
            Listings.prefixes(page, url)));
  }

  static String encodeToken(String last) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(last.getBytes(StandardCharsets.UTF_8));
  }

  static String decodeToken(String token) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (!s.isEmpty()) {
        return s;
      }
    } catch (IllegalArgumentException e) {
      // falls through
    }
    throw new S3Exception(S3Error.INVALID_ARGUMENT, "The continuation token provided is incorrect")
        .with("ArgumentName", "continuation-token");
  }
}
