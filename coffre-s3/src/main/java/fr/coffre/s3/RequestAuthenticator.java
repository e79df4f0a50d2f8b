package fr.coffre.s3;

import java.io.InputStream;
import java.time.Instant;

/**
 * Checks who sent a request and hands back its body decoded for the payload mode the signature
 * declares (aws-chunked framing removed; chunk signatures, payload hash and checksums verified as
 * the body streams, so the last read fails rather than ends if anything does not match).
 */
public interface RequestAuthenticator {

  /**
   * An authenticated caller and the body to read.
   *
   * @param signatureVersion 4 or 2, the AWS signature version that authenticated the request; 0
   *     when it is anonymous
   */
  record Authenticated(String accessKey, InputStream body, int signatureVersion) {
    /** A caller signed with version 4, or anonymous when {@code accessKey} is null. */
    public Authenticated(String accessKey, InputStream body) {
      this(accessKey, body, accessKey == null ? 0 : 4);
    }
  }

  /**
   * Throws an S3Exception (AccessDenied, SignatureDoesNotMatch, ...) if the request is not allowed.
   */
  Authenticated authenticate(RawRequest request, InputStream rawBody, Instant now);
}
