package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.auth.DecodedBody;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Write-request headers that select features Coffre does not have yet: refused with a clear error
 * rather than ignored, so no client believes something happened that did not.
 */
final class WriteOptions {
  private WriteOptions() {}

  /** Refuses, before anything is written, the write options Coffre does not offer. */
  static void refuseUnsupported(S3Request request) {
    String sse = request.header("x-amz-server-side-encryption");
    boolean customer = request.header("x-amz-server-side-encryption-customer-algorithm") != null;
    boolean kmsKey = request.header("x-amz-server-side-encryption-aws-kms-key-id") != null;
    // Contradictory or unknown encryption requests are the client's mistake: 400, before any 501.
    if (sse != null
        && !sse.equals("AES256")
        && !sse.equals("aws:kms")
        && !sse.equals("aws:kms:dsse")) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT, "The encryption method specified is not supported")
          .with("ArgumentName", "x-amz-server-side-encryption")
          .with("ArgumentValue", sse);
    }
    if (sse != null && customer) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "Server Side Encryption with Customer provided key is incompatible with the encryption method specified")
          .with("ArgumentName", "x-amz-server-side-encryption")
          .with("ArgumentValue", sse);
    }
    if (kmsKey && !"aws:kms".equals(sse) && !"aws:kms:dsse".equals(sse)) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms")
          .with("ArgumentName", "x-amz-server-side-encryption");
    }
    if ("aws:kms:dsse".equals(sse)) {
      throw new S3Exception(
          S3Error.NOT_IMPLEMENTED, "Dual-layer SSE-KMS (aws:kms:dsse) is not available");
    }
    if (request.header("x-amz-website-redirect-location") != null) {
      throw new S3Exception(S3Error.NOT_IMPLEMENTED, "Website redirects are not available");
    }
    String storageClass = request.header("x-amz-storage-class");
    if (storageClass != null && !storageClass.equals("STANDARD")) {
      throw new S3Exception(S3Error.INVALID_STORAGE_CLASS)
          .with("StorageClassRequested", storageClass);
    }
  }

  /** Echoes a checksum the client sent in a header (already verified against the body). */
  static void echoChecksum(S3Request request, S3Response response) {
    for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith("x-amz-checksum-")
          && !name.equals("x-amz-checksum-type")
          && !name.equals("x-amz-checksum-algorithm")
          && !name.equals("x-amz-checksum-mode")
          && !h.getValue().isEmpty()) {
        response.header(name, h.getValue().get(0));
      }
    }
  }

  /** Echoes the checksum verified over the body (header or aws-chunked trailer), as S3 does. */
  static void echoVerifiedChecksum(S3Request request, S3Response response) {
    if (request.body() instanceof DecodedBody decoded) {
      decoded
          .checksum()
          .ifPresent(
              c -> {
                if (response.headers().stream()
                    .noneMatch(h -> h.getKey().equalsIgnoreCase(c.algorithm().headerName()))) {
                  response.header(c.algorithm().headerName(), c.base64());
                }
              });
    }
  }
}
