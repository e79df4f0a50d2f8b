package fr.coffre.s3.chunked;

import fr.coffre.s3.auth.SigV4;

/**
 * Computes the signature chain of a streaming SigV4 upload: each chunk's signature covers the
 * previous one (starting from the request's seed signature), so chunks cannot be dropped,
 * reordered or replaced.
 */
public final class ChunkSigner {
  private final byte[] signingKey;
  private final String amzDate;
  private final String scope;
  private String previous;

  public ChunkSigner(byte[] signingKey, String amzDate, String scope, String seedSignature) {
    this.signingKey = signingKey;
    this.amzDate = amzDate;
    this.scope = scope;
    this.previous = seedSignature;
  }

  /** The expected signature of the next chunk, whose data hashes to {@code chunkSha256Hex}; advances the chain. */
  public String nextChunk(String chunkSha256Hex) {
    String toSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + "\n" + scope + "\n" + previous + "\n"
        + SigV4.EMPTY_SHA256 + "\n" + chunkSha256Hex;
    previous = SigV4.signHex(signingKey, toSign);
    return previous;
  }

  /** The expected signature of the trailing headers, given their canonical form ("name:value\n" each). */
  public String trailer(String canonicalTrailers) {
    String toSign = "AWS4-HMAC-SHA256-TRAILER\n" + amzDate + "\n" + scope + "\n" + previous + "\n"
        + SigV4.sha256Hex(canonicalTrailers.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    previous = SigV4.signHex(signingKey, toSign);
    return previous;
  }
}
