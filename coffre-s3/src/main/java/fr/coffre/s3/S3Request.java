package fr.coffre.s3;

import fr.coffre.core.Principal;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * One authenticated S3 request, as an action handler sees it: no HTTP server types.
 *
 * @param bucket the bucket name as addressed (not yet validated), or null for the service
 * @param key the decoded object key, or null
 * @param query decoded query parameters (a parameter without value maps to "")
 * @param headers all headers, by case-insensitive name
 * @param body the decoded request content (aws-chunked framing removed, signatures and checksums
 *     verified as it streams)
 * @param accessKey the authenticated access key id
 * @param secure whether the request came over TLS (what bucket policies call {@code
 *     aws:SecureTransport})
 * @param principal who the access key stands for (anonymous when unsigned)
 * @param sourceIp the client's address ({@code aws:SourceIp}), or null if unknown
 */
public record S3Request(
    String requestId,
    String method,
    String bucket,
    String key,
    Map<String, String> query,
    Map<String, List<String>> headers,
    InputStream body,
    String accessKey,
    boolean secure,
    Principal principal,
    String sourceIp) {

  /** The same request with another body (a bounded or decoded view of this one's). */
  public S3Request withBody(InputStream other) {
    return new S3Request(
        requestId, method, bucket, key, query, headers, other, accessKey, secure, principal,
        sourceIp);
  }

  /** The same request on behalf of another principal (a form upload signs inside its body). */
  public S3Request withPrincipal(Principal other, String otherAccessKey) {
    return new S3Request(
        requestId,
        method,
        bucket,
        key,
        query,
        headers,
        body,
        otherAccessKey,
        secure,
        other,
        sourceIp);
  }

  /** The first value of a header, or null. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public boolean hasQuery(String name) {
    return query.containsKey(name);
  }

  public String queryParam(String name) {
    return query.get(name);
  }

  /** The path of the resource, for error bodies. */
  public String resource() {
    if (bucket == null) {
      return "/";
    }
    return key == null ? "/" + bucket : "/" + bucket + "/" + key;
  }
}
