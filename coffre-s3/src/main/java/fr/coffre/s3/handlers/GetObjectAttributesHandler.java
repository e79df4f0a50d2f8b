package fr.coffre.s3.handlers;

import fr.coffre.core.ObjectChecksum;
import fr.coffre.s3.HttpDates;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.VersionDocuments;
import fr.coffre.service.ObjectInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * GetObjectAttributes: the ETag, checksum, parts, storage class and size the client names in {@code
 * x-amz-object-attributes}, without the content.
 */
public final class GetObjectAttributesHandler implements S3Action {
  private static final Set<String> NAMES =
      Set.of("ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize");
  private final ApiContext ctx;

  public GetObjectAttributesHandler(ApiContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public S3Response handle(S3Request request) {
    Set<String> asked = asked(request);
    ObjectInfo info =
        ctx.objects()
            .head(
                Requests.bucket(request),
                Requests.key(request),
                Requests.versionId(request),
                Requests.readConditions(request, ""),
                // An SSE-C object answers only to its key, as HeadObject does.
                CustomerKeys.from(request, CustomerKeys.HEADERS, ctx));
    ObjectChecksum checksum = info.attributes().checksum();
    VersionDocuments.Checksum c = null;
    if (asked.contains("Checksum") && checksum != null && checksum.value() != null) {
      c = ChecksumHeaders.document(checksum.algorithm(), checksum.value(), checksum.type());
    }
    VersionDocuments.ObjectParts parts = null;
    if (asked.contains("ObjectParts") && !info.partSizes().isEmpty()) {
      parts = parts(request, info, checksum);
    }
    S3Response response =
        S3Response.xml(
            new VersionDocuments.GetObjectAttributesResponse(
                asked.contains("ETag") ? info.etag().value() : null,
                c,
                parts,
                asked.contains("StorageClass") ? "STANDARD" : null,
                asked.contains("ObjectSize") ? info.size() : null));
    response.header("Last-Modified", HttpDates.header(info.lastModified()));
    ObjectLockHeaders.versionId(response, info);
    return response;
  }

  private static Set<String> asked(S3Request request) {
    List<String> values = request.headers().get("x-amz-object-attributes");
    if (values == null || values.isEmpty()) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT, "Empty value provided for input parameter ObjectAttributes")
          .with("ArgumentName", "x-amz-object-attributes");
    }
    Set<String> asked = new TreeSet<>();
    for (String v : values) {
      for (String name : v.split(",")) {
        String n = name.strip();
        String known =
            NAMES.stream()
                .filter(x -> x.toLowerCase(Locale.ROOT).equals(n.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(
                    () ->
                        new S3Exception(
                                S3Error.INVALID_ARGUMENT, "Invalid attribute name specified.")
                            .with("ArgumentName", "x-amz-object-attributes")
                            .with("ArgumentValue", n));
        asked.add(known);
      }
    }
    return asked;
  }

  private static VersionDocuments.ObjectParts parts(
      S3Request request, ObjectInfo info, ObjectChecksum checksum) {
    int max = intHeader(request, "x-amz-max-parts", 1000);
    int marker = intHeader(request, "x-amz-part-number-marker", 0);
    List<VersionDocuments.ObjectPart> page = new ArrayList<>();
    List<Long> sizes = info.partSizes();
    int n = marker;
    while (n < sizes.size() && page.size() < max) {
      String value =
          checksum != null && n < checksum.partValues().size()
              ? checksum.partValues().get(n)
              : null;
      VersionDocuments.Checksum pc =
          value == null ? null : ChecksumHeaders.document(checksum.algorithm(), value, null);
      page.add(
          new VersionDocuments.ObjectPart(
              n + 1,
              sizes.get(n),
              pc == null ? null : pc.crc32(),
              pc == null ? null : pc.crc32c(),
              pc == null ? null : pc.crc64nvme(),
              pc == null ? null : pc.sha1(),
              pc == null ? null : pc.sha256()));
      n++;
    }
    boolean truncated = n < sizes.size();
    return new VersionDocuments.ObjectParts(sizes.size(), marker, n, max, truncated, page);
  }

  private static int intHeader(S3Request request, String name, int dflt) {
    String v = request.header(name);
    if (v == null) {
      return dflt;
    }
    try {
      int i = Integer.parseInt(v.strip());
      if (i >= 0) {
        return i;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw new S3Exception(S3Error.INVALID_ARGUMENT)
        .with("ArgumentName", name)
        .with("ArgumentValue", v);
  }
}
