package fr.coffre.s3.chunked;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a streaming SigV4 upload's chunk signatures are computed from: the day's signing key, the
 * request timestamp and credential scope, and the seed signature (the request's own), which the
 * first chunk's signature chains from. Each signature covers the previous one, so chunks cannot be
 * dropped, reordered or replayed into another upload.
 *
 * <p>Holds a derived key (valid for one day, region and service, never the secret itself); its
 * {@code toString} does not show it. Not thread-safe: one per request.
 */
public final class ChunkSigner {
  /** SHA-256 of the empty string, the fixed fifth line of a chunk's string to sign. */
  static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private static final HexFormat HEX = HexFormat.of();

  private final Mac mac;
  private final String timestamp;
  private final String scope;
  private final String seedSignature;

  /**
   * @param signingKey the SigV4 signing key of the request (HMAC chain of secret, date, region,
   *     service, "aws4_request"); copied
   * @param timestamp the request time as in its string to sign, {@code yyyyMMdd'T'HHmmss'Z'}
   * @param scope the credential scope, {@code yyyyMMdd/region/service/aws4_request}
   * @param seedSignature the hex signature of the request itself
   */
  public ChunkSigner(byte[] signingKey, String timestamp, String scope, String seedSignature) {
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.seedSignature = Objects.requireNonNull(seedSignature, "seedSignature");
    try {
      this.mac = Mac.getInstance("HmacSHA256");
      // SecretKeySpec copies the array, so the caller's copy can be wiped.
      mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("unusable signing key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    }
  }

  public String timestamp() {
    return timestamp;
  }

  public String scope() {
    return scope;
  }

  public String seedSignature() {
    return seedSignature;
  }

  /** The string to sign of a data chunk (also of the final, empty one). */
  public String chunkStringToSign(String previousSignature, byte[] chunkSha256) {
    return "AWS4-HMAC-SHA256-PAYLOAD\n"
        + timestamp
        + "\n"
        + scope
        + "\n"
        + previousSignature
        + "\n"
        + EMPTY_SHA256
        + "\n"
        + HEX.formatHex(chunkSha256);
  }

  /** The hex signature of a chunk whose data hashes to {@code chunkSha256}. */
  public String chunkSignature(String previousSignature, byte[] chunkSha256) {
    return sign(chunkStringToSign(previousSignature, chunkSha256));
  }

  /**
   * The string to sign of the trailing headers; {@code trailerSha256} hashes their canonical form,
   * each {@code name:value\n} in the order sent, the signature line excluded.
   */
  public String trailerStringToSign(String previousSignature, byte[] trailerSha256) {
    return "AWS4-HMAC-SHA256-TRAILER\n"
        + timestamp
        + "\n"
        + scope
        + "\n"
        + previousSignature
        + "\n"
        + HEX.formatHex(trailerSha256);
  }

  /** The hex signature of the trailing headers, chained from the final chunk's signature. */
  public String trailerSignature(String previousSignature, byte[] trailerSha256) {
    return sign(trailerStringToSign(previousSignature, trailerSha256));
  }

  private String sign(String stringToSign) {
    return HEX.formatHex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public String toString() {
    return "ChunkSigner[timestamp=" + timestamp + ", scope=" + scope + "]";
  }
}
