package fr.coffre.s3.auth;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.checksum.ChecksumAlgorithm;
import fr.coffre.s3.checksum.ChecksumInputStream;
import fr.coffre.s3.chunked.AwsChunkedInputStream;
import fr.coffre.s3.chunked.ContentLengthInputStream;
import fr.coffre.s3.chunked.SignedPayloadInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses and stacks the body decoders a request's authentication calls for:
 *
 * <pre>
 * raw body
 *  → Content-Length held (IncompleteBody if short)
 *  → SIGNED:           SHA-256 checked at the end (XAmzContentSHA256Mismatch)
 *    UNSIGNED_PAYLOAD: as is
 *    STREAMING_*:      aws-chunked decoded; chunk and trailer signatures, trailing checksum,
 *                      decoded length checked (SignatureDoesNotMatch, BadDigest, IncompleteBody)
 *  → x-amz-checksum-* header, if any: checked over the decoded bytes (BadDigest)
 * </pre>
 *
 * Request-level problems are refused here, before any byte is read: more than one checksum, a
 * malformed checksum value, an unsupported {@code x-amz-trailer}, an aws-chunked body without a
 * streaming {@code x-amz-content-sha256} (it would otherwise be stored with its framing).
 */
public final class PayloadDecoder {
  private PayloadDecoder() {}

  /**
   * @param raw the body exactly as received (HTTP-level chunking already removed)
   * @throws S3Exception InvalidRequest / InvalidArgument for the request-level problems above
   */
  public static DecodedBody decode(Authentication auth, SigV4Request request, InputStream raw) {
    PayloadMode mode = auth.payloadMode();
    ChecksumAlgorithm trailer = trailer(request, mode);
    ChecksumAlgorithm headerAlgorithm = describesObject(request) ? null : headerChecksum(request);
    if (trailer != null && headerAlgorithm != null) {
      throw multipleChecksums();
    }
    checkDeclaredAlgorithm(request, trailer != null ? trailer : headerAlgorithm);
    // "aws-chunked" in Content-Encoding without a STREAMING-* payload hash is a plain body, as S3
    // takes it (the token is dropped from the stored Content-Encoding).

    long contentLength = length(request, "content-length");
    InputStream in = contentLength >= 0 ? new ContentLengthInputStream(raw, contentLength) : raw;
    long decodedLength = mode.isStreaming() ? length(request, "x-amz-decoded-content-length") : -1;
    AwsChunkedInputStream chunked = null;
    switch (mode) {
      case SIGNED -> in = new SignedPayloadInputStream(in, auth.payloadSha256());
      case UNSIGNED_PAYLOAD -> {
        // Nothing to check beyond the length and a declared checksum.
      }
      case STREAMING_SIGNED ->
          in = chunked = AwsChunkedInputStream.signed(in, auth.chunkSigner(), decodedLength);
      case STREAMING_SIGNED_TRAILER ->
          in =
              chunked =
                  AwsChunkedInputStream.signedWithTrailer(
                      in, auth.chunkSigner(), trailer, decodedLength);
      case STREAMING_UNSIGNED_TRAILER ->
          in = chunked = AwsChunkedInputStream.unsignedWithTrailer(in, trailer, decodedLength);
    }
    ChecksumInputStream checked = null;
    if (headerAlgorithm != null) {
      List<String> values = request.headers(headerAlgorithm.headerName());
      in =
          checked =
              new ChecksumInputStream(
                  in, headerAlgorithm, values.size() == 1 ? values.get(0) : null);
    }
    return new DecodedBody(in, mode, checked, chunked);
  }

  /** The checksum {@code x-amz-trailer} announces, or null. */
  private static ChecksumAlgorithm trailer(SigV4Request request, PayloadMode mode) {
    List<String> values = request.headers("x-amz-trailer");
    if (values.isEmpty()) {
      return null;
    }
    if (!mode.hasTrailer()) {
      throw new S3Exception(
          S3Error.INVALID_REQUEST,
          "x-amz-trailer needs x-amz-content-sha256 "
              + PayloadMode.STREAMING_SIGNED_TRAILER.headerValue()
              + " or "
              + PayloadMode.STREAMING_UNSIGNED_TRAILER.headerValue());
    }
    String value = String.join(",", values).strip();
    return ChecksumAlgorithm.fromHeaderName(value)
        .orElseThrow(
            () ->
                new S3Exception(
                    S3Error.INVALID_REQUEST,
                    "The value specified in the x-amz-trailer header is not supported"));
  }

  /**
   * Whether this is a CompleteMultipartUpload (POST with {@code uploadId}), whose {@code
   * x-amz-checksum-*} header states the whole object's checksum (possibly composite, {@code
   * ...-N}), not the XML body's: it is checked at completion, not here.
   */
  private static boolean describesObject(SigV4Request request) {
    String q = request.rawQuery();
    if (!request.method().equals("POST") || q == null) {
      return false;
    }
    for (String p : q.split("&")) {
      if (p.equals("uploadId") || p.startsWith("uploadId=")) {
        return true;
      }
    }
    return false;
  }

  /** The algorithm of the one {@code x-amz-checksum-<algorithm>} header sent, or null. */
  private static ChecksumAlgorithm headerChecksum(SigV4Request request) {
    List<ChecksumAlgorithm> found = new ArrayList<>();
    for (String name : request.headerNames()) {
      if (ChecksumAlgorithm.isValueHeader(name)) {
        found.add(
            ChecksumAlgorithm.fromHeaderName(name)
                .orElseThrow(
                    () ->
                        new S3Exception(
                            S3Error.INVALID_REQUEST,
                            "The checksum header " + name + " is not supported")));
      }
    }
    if (found.size() > 1) {
      throw multipleChecksums();
    }
    return found.isEmpty() ? null : found.get(0);
  }

  /** The SDKs also name the algorithm; a value of another algorithm is a client bug to surface. */
  private static void checkDeclaredAlgorithm(SigV4Request request, ChecksumAlgorithm actual) {
    for (String header : List.of("x-amz-sdk-checksum-algorithm", "x-amz-checksum-algorithm")) {
      String declared = request.header(header);
      if (declared != null && actual != null) {
        if (ChecksumAlgorithm.fromAwsName(declared).orElse(null) != actual) {
          throw new S3Exception(
              S3Error.INVALID_REQUEST, "Value for " + header + " header is invalid.");
        }
      }
    }
  }

  /** A non-negative length header, or -1 when absent. */
  private static long length(SigV4Request request, String header) {
    String value = request.header(header);
    if (value == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(value.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid " + header + ": " + value)
        .with("ArgumentName", header)
        .with("ArgumentValue", value);
  }

  private static S3Exception multipleChecksums() {
    return new S3Exception(
        S3Error.INVALID_REQUEST,
        "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
  }
}
