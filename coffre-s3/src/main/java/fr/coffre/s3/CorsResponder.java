package fr.coffre.s3;

import java.util.Map;

/**
 * Decides the CORS headers of an actual (non-preflight) cross-origin request from the bucket's CORS
 * rules, so that a browser lets the page read the response.
 */
@FunctionalInterface
public interface CorsResponder {
  CorsResponder NONE = request -> Map.of();

  /**
   * The Access-Control-* headers to add, empty when no rule allows the request's origin and method.
   */
  Map<String, String> responseHeaders(S3Request request);
}
