package fr.coffre.s3.auth;

import fr.coffre.s3.chunked.ChunkSigner;
import java.util.Objects;

/**
 * Who sent a request and how its body must be read: the outcome of {@link SignatureVerifier}.
 *
 * @param accessKey the verified access key id; null for an anonymous request
 * @param scheme how the request was authenticated
 * @param payloadMode how the body is protected
 * @param payloadSha256 the signed SHA-256 of the body, lowercase hex, for {@link
 *     PayloadMode#SIGNED} only (else null)
 * @param chunkSigner what chunk and trailer signatures are checked against, for the modes with
 *     signed chunks only (else null)
 */
public record Authentication(
    String accessKey,
    Scheme scheme,
    PayloadMode payloadMode,
    String payloadSha256,
    ChunkSigner chunkSigner) {

  /** Where the signature came from, and which signature version it is. */
  public enum Scheme {
    ANONYMOUS(0),
    /** {@code Authorization: AWS4-HMAC-SHA256 ...} */
    HEADER(4),
    /** {@code ?X-Amz-Algorithm=AWS4-HMAC-SHA256&...} */
    PRESIGNED(4),
    /** {@code Authorization: AWS AKID:signature} (HMAC-SHA1) */
    HEADER_V2(2),
    /** {@code ?AWSAccessKeyId=...&Expires=...&Signature=...} (HMAC-SHA1) */
    PRESIGNED_V2(2);

    private final int signatureVersion;

    Scheme(int signatureVersion) {
      this.signatureVersion = signatureVersion;
    }

    /** 4 or 2; 0 for an anonymous request. */
    public int signatureVersion() {
      return signatureVersion;
    }
  }

  public Authentication {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(payloadMode, "payloadMode");
    if ((accessKey == null) != (scheme == Scheme.ANONYMOUS)) {
      throw new IllegalArgumentException("an access key exactly when the request is signed");
    }
    if ((payloadMode == PayloadMode.SIGNED)
        != (payloadSha256 != null && payloadSha256.matches("[0-9a-f]{64}"))) {
      throw new IllegalArgumentException("a lowercase hex SHA-256 exactly for a SIGNED payload");
    }
    if (payloadMode.hasSignedChunks() != (chunkSigner != null)) {
      throw new IllegalArgumentException("a chunk signer exactly for signed chunks");
    }
  }

  public boolean isAnonymous() {
    return scheme == Scheme.ANONYMOUS;
  }
}
