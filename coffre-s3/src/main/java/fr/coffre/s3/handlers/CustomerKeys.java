package fr.coffre.s3.handlers;

import fr.coffre.core.CustomerKey;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The SSE-C headers: {@code x-amz-server-side-encryption-customer-algorithm} (AES256), {@code -key}
 * (base64 of 32 bytes) and {@code -key-MD5}, or their {@code x-amz-copy-source-} forms for a copy's
 * source. Checked as S3 does; the key travels only over TLS unless the server listens on the
 * loopback.
 */
final class CustomerKeys {
  static final String HEADERS = "x-amz-server-side-encryption-customer-";
  static final String SOURCE_HEADERS = "x-amz-copy-source-server-side-encryption-customer-";

  private CustomerKeys() {}

  /** The customer key the request carries with {@code prefix}, or null when it has none. */
  static CustomerKey from(S3Request request, String prefix, ApiContext ctx) {
    String algorithm = request.header(prefix + "algorithm");
    String key = request.header(prefix + "key");
    String md5 = request.header(prefix + "key-md5");
    if (algorithm == null && key == null && md5 == null) {
      return null;
    }
    if (!request.secure() && !ctx.customerKeysOverHttp()) {
      throw new S3Exception(
          S3Error.INVALID_REQUEST,
          "Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.");
    }
    if (algorithm == null) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.")
          .with("ArgumentName", prefix + "algorithm");
    }
    if (!algorithm.equals("AES256")) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "The requested encryption algorithm is not valid; use AES256.")
          .with("ArgumentName", prefix + "algorithm")
          .with("ArgumentValue", algorithm);
    }
    byte[] raw;
    try {
      raw = key == null ? null : Base64.getDecoder().decode(key.strip());
    } catch (IllegalArgumentException e) {
      raw = null;
    }
    if (raw == null || raw.length != 32) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT, "The secret key was invalid for the specified algorithm.")
          .with("ArgumentName", prefix + "key");
    }
    if (md5 == null) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.")
          .with("ArgumentName", prefix + "key-MD5");
    }
    if (!md5.strip().equals(md5Of(raw))) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "The calculated MD5 hash of the key did not match the hash that was provided.")
          .with("ArgumentName", prefix + "key-MD5");
    }
    return new CustomerKey(raw);
  }

  static String md5Of(byte[] raw) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(raw));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The answer headers of an SSE-C object: its algorithm and the MD5 of the key used. */
  static void echo(S3Response response, CustomerKey key) {
    response
        .header(HEADERS + "algorithm", "AES256")
        .header(HEADERS + "key-MD5", md5Of(key.bytes()));
  }
}
