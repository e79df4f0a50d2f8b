package fr.coffre.s3;

import java.io.InputStream;
import java.time.Instant;

/**
 * Checks who sent a request and hands back its body decoded for the payload mode the signature
 * declares (aws-chunked framing removed; chunk signatures, payload hash and checksums verified as
 * the body streams, so the last read fails rather than ends if anything does not match).
 */
public interface RequestAuthenticator {

  /** An authenticated caller and the body to read. */
  record Authenticated(String accessKey, InputStream body) {}

  /**
   * Throws an S3Exception (AccessDenied, SignatureDoesNotMatch, ...) if the request is not allowed.
   */
  Authenticated authenticate(RawRequest request, InputStream rawBody, Instant now);
}
