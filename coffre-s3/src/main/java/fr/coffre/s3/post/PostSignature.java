package fr.coffre.s3.post;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.auth.CredentialLookup;
import fr.coffre.s3.auth.SigV4;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks who signed a browser form's policy: SigV4 ({@code x-amz-credential}, {@code
 * x-amz-signature} = hex HMAC-SHA256 of the base64 policy under the day's signing key) or SigV2
 * ({@code AWSAccessKeyId}, {@code signature} = base64 HMAC-SHA1 of the base64 policy). Signatures
 * are compared in constant time.
 */
public final class PostSignature {
  private PostSignature() {}

  /**
   * The access key that signed the form's policy; AccessDenied when there is no signature at all.
   */
  public static String verify(Map<String, String> fields, CredentialLookup credentials) {
    String policy = fields.get("policy");
    if (policy == null) {
      throw new S3Exception(
          S3Error.ACCESS_DENIED, "Anonymous form uploads are not allowed; sign a policy.");
    }
    String v4 = fields.get("x-amz-signature");
    if (v4 != null) {
      return verifyV4(fields, policy, v4, credentials);
    }
    String v2 = fields.get("signature");
    String accessKey = fields.get("awsaccesskeyid");
    if (v2 == null || accessKey == null) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "Bucket POST must contain a field named 'x-amz-signature' (or 'AWSAccessKeyId' and 'signature').")
          .with("ArgumentName", v2 == null ? "signature" : "AWSAccessKeyId");
    }
    String secret = secret(accessKey, credentials);
    byte[] expected = hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), policy);
    byte[] given;
    try {
      given = Base64.getDecoder().decode(v2.strip());
    } catch (IllegalArgumentException e) {
      throw mismatch();
    }
    if (!MessageDigest.isEqual(expected, given)) {
      throw mismatch();
    }
    return accessKey;
  }

  private static String verifyV4(
      Map<String, String> fields, String policy, String signature, CredentialLookup credentials) {
    String algorithm = fields.get("x-amz-algorithm");
    String credential = fields.get("x-amz-credential");
    if (!SigV4.ALGORITHM.equals(algorithm)
        || credential == null
        || fields.get("x-amz-date") == null) {
      throw new S3Exception(
          S3Error.INVALID_ARGUMENT,
          "Bucket POST with x-amz-signature must contain x-amz-algorithm="
              + SigV4.ALGORITHM
              + ", x-amz-credential and x-amz-date.");
    }
    String[] scope = credential.split("/");
    if (scope.length != 5 || !scope[3].equals("s3") || !scope[4].equals("aws4_request")) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid x-amz-credential: " + credential)
          .with("ArgumentName", "x-amz-credential");
    }
    String token = fields.get("x-amz-security-token");
    String secret =
        credentials
            .secretKey(scope[0], token)
            .orElseThrow(
                () ->
                    new S3Exception(S3Error.INVALID_ACCESS_KEY_ID)
                        .with("AWSAccessKeyId", scope[0]));
    String expected =
        SigV4.hmacSha256Hex(SigV4.signingKey(secret, scope[1], scope[2], scope[3]), policy);
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        signature.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
      throw mismatch();
    }
    return scope[0];
  }

  private static String secret(String accessKey, CredentialLookup credentials) {
    return credentials
        .secretKey(accessKey)
        .orElseThrow(
            () -> new S3Exception(S3Error.INVALID_ACCESS_KEY_ID).with("AWSAccessKeyId", accessKey));
  }

  private static S3Exception mismatch() {
    return new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH);
  }

  private static byte[] hmac(String algorithm, byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
