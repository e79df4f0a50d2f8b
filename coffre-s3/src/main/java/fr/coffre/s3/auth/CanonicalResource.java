package fr.coffre.s3.auth;

import fr.coffre.s3.auth.CanonicalRequest.Param;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The CanonicalizedResource of AWS Signature Version 2: {@code /bucket/key} (the bucket taken from
 * the Host in virtual-hosted style), then the sub-resources that V2 signs, sorted by name, with
 * their decoded values: {@code /bucket/key?acl} or {@code /bucket/key?partNumber=2&uploadId=x}.
 *
 * <p>The path is the one the request carried, still percent-encoded, as the V2 rules say ("taken
 * literally, including URL-encoding and capitalization"); the AWS re-encoding of the decoded path
 * is a second candidate, for clients that sign the key they meant rather than the bytes they sent.
 * Both name the same object, so accepting either lets no one sign for another resource.
 *
 * <p>The list of signed sub-resources is a contract with the clients: one that a client signs and
 * this list lacks (or the reverse) makes every such request fail with SignatureDoesNotMatch. It is
 * AWS's documented list plus the sub-resources that botocore (aws-cli v1) also signs; adding a name
 * here changes the string to sign of every request that carries it.
 */
final class CanonicalResource {
  static final Set<String> SIGNED_SUBRESOURCES =
      Set.of(
          "accelerate",
          "acl",
          "analytics",
          "cors",
          "delete",
          "inventory",
          "legal-hold",
          "lifecycle",
          "location",
          "logging",
          "metrics",
          "notification",
          "object-lock",
          "partNumber",
          "policy",
          "replication",
          "requestPayment",
          "response-cache-control",
          "response-content-disposition",
          "response-content-encoding",
          "response-content-language",
          "response-content-type",
          "response-expires",
          "restore",
          "retention",
          "select",
          "select-type",
          "tagging",
          "torrent",
          "uploadId",
          "uploads",
          "versionId",
          "versioning",
          "versions",
          "website");

  private CanonicalResource() {}

  /**
   * The canonical resources a client may have signed for this request, the literal one first.
   *
   * @param virtualHostDomain the domain under which {@code bucket.domain} names a bucket, or null
   */
  static List<String> candidates(SigV4Request request, String virtualHostDomain) {
    String bucket = virtualHostBucket(request.host(), virtualHostDomain);
    String prefix = bucket == null ? "" : "/" + bucket;
    String subresources = subresources(CanonicalRequest.parseQuery(request.rawQuery()));
    String raw = request.rawPath().isEmpty() ? "/" : request.rawPath();
    List<String> out = new ArrayList<>(2);
    out.add(prefix + raw + subresources);
    for (String path : CanonicalRequest.uriCandidates(raw)) {
      String candidate = prefix + path + subresources;
      if (!out.contains(candidate)) {
        out.add(candidate);
      }
    }
    // A path-style request to a bucket itself: botocore (aws-cli v1, boto3) signs /bucket/ for
    // /bucket, as for the virtual-hosted form. Both name the same bucket and no object.
    if (bucket == null && raw.length() > 1 && raw.indexOf('/', 1) < 0) {
      out.add(raw + "/" + subresources);
    }
    return out;
  }

  /** {@code ?name&name=value...} for the signed sub-resources present, or "" when none is. */
  static String subresources(List<Param> params) {
    List<Param> signed = new ArrayList<>();
    for (Param p : params) {
      if (SIGNED_SUBRESOURCES.contains(p.name())) {
        signed.add(p);
      }
    }
    if (signed.isEmpty()) {
      return "";
    }
    signed.sort(Comparator.comparing(Param::name));
    StringBuilder b = new StringBuilder("?");
    for (Param p : signed) {
      if (b.length() > 1) {
        b.append('&');
      }
      b.append(p.name());
      if (!p.value().isEmpty()) {
        b.append('=').append(p.value());
      }
    }
    return b.toString();
  }

  /** The bucket a {@code bucket.domain} Host names, as the router reads it; else null. */
  static String virtualHostBucket(String host, String domain) {
    if (host == null || domain == null) {
      return null;
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    if (colon > 0 && !h.endsWith("]")) {
      h = h.substring(0, colon);
    }
    String suffix = "." + domain.toLowerCase(Locale.ROOT);
    return h.endsWith(suffix) && h.length() > suffix.length()
        ? h.substring(0, h.length() - suffix.length())
        : null;
  }
}
