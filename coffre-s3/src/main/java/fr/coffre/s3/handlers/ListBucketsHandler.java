package fr.coffre.s3.handlers;

import fr.coffre.core.BucketRecord;
import fr.coffre.s3.HttpDates;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.Documents;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * ListBuckets: the buckets by name, optionally filtered by {@code prefix} and paginated with {@code
 * max-buckets} and an opaque {@code continuation-token} (the last name, base64url).
 */
public final class ListBucketsHandler implements S3Action {
  static final int MAX_BUCKETS = 10_000;
  private final ApiContext ctx;

  public ListBucketsHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    String prefix = Listings.emptyToNull(request.queryParam("prefix"));
    String token = Listings.emptyToNull(request.queryParam("continuation-token"));
    int max =
        request.hasQuery("max-buckets")
            ? Requests.intParam(request, "max-buckets", MAX_BUCKETS, MAX_BUCKETS)
            : MAX_BUCKETS;
    if (max < 1) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT, "max-buckets must be between 1 and " + MAX_BUCKETS)
          .with("ArgumentName", "max-buckets");
    }
    String after = token == null ? null : decode(token);
    // One more than the page: whether there is a next one.
    List<BucketRecord> matching =
        ctx.buckets().page(request.principal().tenant(), prefix, after, max + 1);
    List<BucketRecord> page = matching.size() > max ? matching.subList(0, max) : matching;
    String next = matching.size() > max ? encode(page.get(page.size() - 1).name().value()) : null;
    return S3Response.xml(
        new Documents.ListAllMyBucketsResult(
            ctx.callerOwner(request),
            page.stream()
                .map(b -> new Documents.BucketEntry(b.name().value(), HttpDates.xml(b.created())))
                .toList(),
            next,
            prefix));
  }

  private static String encode(String name) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(name.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT, "The continuation token provided is incorrect")
          .with("ArgumentName", "continuation-token");
    }
  }
}
