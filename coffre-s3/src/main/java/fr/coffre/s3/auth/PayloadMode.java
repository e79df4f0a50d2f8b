package fr.coffre.s3.auth;

/**
 * How a request's body is protected, as its {@code x-amz-content-sha256} declares: this decides
 * which decoder reads the body.
 */
public enum PayloadMode {
  /** The SHA-256 of the whole body is signed; checked when the body ends. */
  SIGNED(null),
  /** Nothing about the body is signed (presigned URLs, and clients that choose so over TLS). */
  UNSIGNED_PAYLOAD("UNSIGNED-PAYLOAD"),
  /** aws-chunked, every chunk signed in a chain from the request signature. */
  STREAMING_SIGNED("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
  /** aws-chunked, signed chunks, then a signed trailer (usually a checksum). */
  STREAMING_SIGNED_TRAILER("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"),
  /** aws-chunked, unsigned chunks, then an unsigned trailer checksum. */
  STREAMING_UNSIGNED_TRAILER("STREAMING-UNSIGNED-PAYLOAD-TRAILER");

  private final String headerValue;

  PayloadMode(String headerValue) {
    this.headerValue = headerValue;
  }

  /** The literal {@code x-amz-content-sha256} value, or null for SIGNED (which carries a hash). */
  public String headerValue() {
    return headerValue;
  }

  /** Whether the body is aws-chunked. */
  public boolean isStreaming() {
    return this == STREAMING_SIGNED
        || this == STREAMING_SIGNED_TRAILER
        || this == STREAMING_UNSIGNED_TRAILER;
  }

  /** Whether chunk signatures must be verified, which needs a {@code ChunkSigner}. */
  public boolean hasSignedChunks() {
    return this == STREAMING_SIGNED || this == STREAMING_SIGNED_TRAILER;
  }

  /** Whether a trailer may follow the last chunk. */
  public boolean hasTrailer() {
    return this == STREAMING_SIGNED_TRAILER || this == STREAMING_UNSIGNED_TRAILER;
  }
}
