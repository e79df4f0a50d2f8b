package fr.coffre.s3.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds requests for tests, signed or not. The signing side reuses the canonicalization under
 * test, so it serves error-path tests only; the canonicalization itself is pinned by the AWS
 * documentation and AWS SDK vectors.
 */
final class TestRequest {
  static final String AKID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  private final String method;
  private final String path;
  private String query;
  private final Map<String, List<String>> headers = new LinkedHashMap<>();

  private TestRequest(String method, String path) {
    this.method = method;
    this.path = path;
  }

  static TestRequest of(String method, String path) {
    return new TestRequest(method, path);
  }

  TestRequest query(String rawQuery) {
    this.query = rawQuery;
    return this;
  }

  TestRequest header(String name, String value) {
    headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    return this;
  }

  SigV4Request build() {
    return SigV4Request.of(method, path, query, headers);
  }

  /** Adds an Authorization header signing {@code signedHeaders} (as listed) for the given time. */
  TestRequest sign(String signedHeaders, Instant time, String region, String secret) {
    String timestamp = SigV4Verifier.AMZ_DATE.format(time);
    String scope = timestamp.substring(0, 8) + "/" + region + "/s3/aws4_request";
    String payload = build().header("x-amz-content-sha256");
    String signature = signature(signedHeaders, timestamp, scope, region, secret, payload, false);
    return header(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential="
            + AKID
            + "/"
            + scope
            + ", SignedHeaders="
            + signedHeaders
            + ", Signature="
            + signature);
  }

  /** Adds presigned-URL parameters to the query (X-Amz-Signature last). */
  TestRequest presign(
      String signedHeaders, Instant time, long expires, String region, String secret) {
    String timestamp = SigV4Verifier.AMZ_DATE.format(time);
    String scope = timestamp.substring(0, 8) + "/" + region + "/s3/aws4_request";
    String auth =
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
            + AKID
            + "%2F"
            + scope.replace("/", "%2F")
            + "&X-Amz-Date="
            + timestamp
            + "&X-Amz-Expires="
            + expires
            + "&X-Amz-SignedHeaders="
            + signedHeaders.replace(";", "%3B");
    query = query == null ? auth : query + "&" + auth;
    String signature =
        signature(signedHeaders, timestamp, scope, region, secret, "UNSIGNED-PAYLOAD", true);
    query += "&X-Amz-Signature=" + signature;
    return this;
  }

  private String signature(
      String signedHeaders,
      String timestamp,
      String scope,
      String region,
      String secret,
      String payload,
      boolean presigned) {
    SigV4Request request = build();
    List<String> names = List.of(signedHeaders.split(";"));
    String canonical =
        CanonicalRequest.of(
            method,
            CanonicalRequest.uriCandidates(path).get(0),
            CanonicalRequest.query(CanonicalRequest.parseQuery(query), presigned),
            CanonicalRequest.headers(request, names),
            signedHeaders,
            payload);
    String stringToSign =
        "AWS4-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n" + SigV4.sha256Hex(canonical);
    byte[] key = SigV4.signingKey(secret, timestamp.substring(0, 8), region, "s3");
    return SigV4.hmacSha256Hex(key, stringToSign).toLowerCase(Locale.ROOT);
  }
}
