package fr.coffre.s3.auth;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import java.util.Locale;

/**
 * What {@code x-amz-content-sha256} (or a presigned URL) declares about the body; shared by both
 * signature versions so that a declared hash is read, and refused, the same way whoever signed.
 */
record Payload(PayloadMode mode, String sha256) {
  static final Payload UNSIGNED = new Payload(PayloadMode.UNSIGNED_PAYLOAD, null);

  static Payload parse(String value) {
    for (PayloadMode mode : PayloadMode.values()) {
      if (value.equals(mode.headerValue())) {
        return new Payload(mode, null);
      }
    }
    // ASCII hex only: Character.digit would also take Arabic-Indic or fullwidth digits.
    if (value.length() == 64 && value.chars().allMatch(Payload::isHexDigit)) {
      return new Payload(PayloadMode.SIGNED, value.toLowerCase(Locale.ROOT));
    }
    if (value.startsWith("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")) {
      throw SigV4Verifier.unsupportedMechanism();
    }
    throw new S3Exception(
            S3Error.INVALID_ARGUMENT,
            "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER,"
                + " STREAMING-AWS4-HMAC-SHA256-PAYLOAD,"
                + " STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.")
        .with("ArgumentName", SigV4Verifier.CONTENT_SHA256)
        .with("ArgumentValue", value);
  }

  private static boolean isHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
