package fr.coffre.s3;

import java.util.List;
import java.util.Map;

/**
 * A request as it arrived, before any decoding: what signature checks need.
 *
 * @param rawPath the path exactly as sent, still percent-encoded
 * @param rawQuery the query string exactly as sent, or null
 * @param headers all headers by case-insensitive name, values as sent
 * @param secure whether the request came over TLS
 * @param remoteAddress the client's address, or null if unknown
 */
public record RawRequest(
    String method,
    String rawPath,
    String rawQuery,
    Map<String, List<String>> headers,
    boolean secure,
    String remoteAddress) {

  public RawRequest(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      boolean secure) {
    this(method, rawPath, rawQuery, headers, secure, null);
  }

  public String header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
