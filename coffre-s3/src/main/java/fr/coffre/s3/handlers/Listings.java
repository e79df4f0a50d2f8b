package fr.coffre.s3.handlers;

import fr.coffre.core.AccessControlList;
import fr.coffre.core.ListPage;
import fr.coffre.core.ObjectRecord;
import fr.coffre.s3.HttpDates;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.xml.Documents;
import fr.coffre.service.AclService;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What ListObjects v1 and v2 share: parameters, encoding-type=url, and page rendering. */
final class Listings {
  static final int MAX_KEYS = 1000;

  private Listings() {}

  /** Whether names must be URL-encoded in the response (encoding-type=url). */
  static boolean urlEncoding(S3Request request) {
    String type = request.queryParam("encoding-type");
    if (type == null) {
      return false;
    }
    if (!type.equals("url")) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request")
          .with("ArgumentName", "encoding-type")
          .with("ArgumentValue", type);
    }
    return true;
  }

  static int maxKeys(S3Request request) {
    return Requests.intParam(request, "max-keys", MAX_KEYS, MAX_KEYS);
  }

  /**
   * Encodes a key for the response when encoding-type=url was asked, as S3 does: every UTF-8 byte
   * but the unreserved characters and {@code /} is percent-encoded (a space is {@code %20}). S3
   * encodes keys, common prefixes and markers; it echoes Prefix and Delimiter as sent.
   */
  static String encode(String s, boolean url) {
    if (s == null || !url) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || c == '/') {
        out.append((char) c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** The entries of a page; each shows its owner unless {@code bucketOwner} is null. */
  static List<Documents.Contents> contents(
      ListPage page, boolean url, AccessControlList.Grantee bucketOwner) {
    return page.objects().stream()
        .map(
            o ->
                entry(
                    o,
                    url,
                    bucketOwner == null
                        ? null
                        : ApiContext.owner(AclService.ownerOf(o, bucketOwner))))
        .toList();
  }

  private static Documents.Contents entry(ObjectRecord o, boolean url, Documents.Owner owner) {
    return new Documents.Contents(
        encode(o.key().value(), url),
        HttpDates.xml(o.lastModified()),
        o.etag().quoted(),
        o.size(),
        "STANDARD",
        owner);
  }

  static List<Documents.CommonPrefix> prefixes(ListPage page, boolean url) {
    return page.commonPrefixes().stream()
        .map(p -> new Documents.CommonPrefix(encode(p, url)))
        .toList();
  }
}
