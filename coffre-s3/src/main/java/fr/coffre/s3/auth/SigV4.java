package fr.coffre.s3.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The cryptographic steps of AWS Signature Version 4: hashing, HMAC, signing-key derivation. */
public final class SigV4 {
  public static final String ALGORITHM = "AWS4-HMAC-SHA256";

  /** SHA-256 of the empty string, the payload hash of a request without body. */
  public static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private static final HexFormat HEX = HexFormat.of();

  private SigV4() {}

  /**
   * The signing key of one day, region and service: HMAC chain of {@code "AWS4" + secret}, date
   * ({@code yyyyMMdd}), region, service and {@code aws4_request}.
   */
  public static byte[] signingKey(String secret, String date, String region, String service) {
    byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    k = hmac(k, region);
    k = hmac(k, service);
    return hmac(k, "aws4_request");
  }

  /** The lowercase hex HMAC-SHA256 of a string to sign. */
  public static String hmacSha256Hex(byte[] key, String data) {
    return HEX.formatHex(hmac(key, data));
  }

  /** The lowercase hex SHA-256 of the UTF-8 bytes of {@code data}. */
  public static String sha256Hex(String data) {
    try {
      return HEX.formatHex(
          MessageDigest.getInstance("SHA-256").digest(data.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    }
  }

  /** Compares in time independent of where the strings differ, so timing reveals no prefix. */
  static boolean sameSignature(String expected, String provided) {
    return provided != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), provided.getBytes(StandardCharsets.UTF_8));
  }
}
