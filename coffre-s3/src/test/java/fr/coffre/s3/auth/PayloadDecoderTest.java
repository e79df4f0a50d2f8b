package fr.coffre.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.auth.Authentication.Scheme;
import fr.coffre.s3.checksum.ChecksumAlgorithm;
import fr.coffre.s3.checksum.ChecksumValue;
import fr.coffre.s3.chunked.ChunkedBodies;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class PayloadDecoderTest {
  private static final byte[] HELLO = "hello world".getBytes();
  private static final Authentication UNSIGNED =
      new Authentication("AK", Scheme.HEADER, PayloadMode.UNSIGNED_PAYLOAD, null, null);
  private static final Authentication UNSIGNED_TRAILER =
      new Authentication("AK", Scheme.HEADER, PayloadMode.STREAMING_UNSIGNED_TRAILER, null, null);

  private static DecodedBody decode(Authentication auth, TestRequest request, byte[] body) {
    return PayloadDecoder.decode(auth, request.build(), new ByteArrayInputStream(body));
  }

  private static void assertS3Error(ThrowingCallable call, S3Error error, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.error()).isEqualTo(error);
              if (message != null) {
                assertThat(e.getMessage()).isEqualTo(message);
              }
            });
  }

  @Test
  void decode_headerChecksumMatching_isVerifiedAndReported() throws IOException {
    DecodedBody body =
        decode(
            UNSIGNED,
            TestRequest.of("PUT", "/b/k").header("x-amz-checksum-crc32", "DUoRhQ=="),
            HELLO);
    assertThat(body.readAllBytes()).isEqualTo(HELLO);
    assertThat(body.checksum()).contains(new ChecksumValue(ChecksumAlgorithm.CRC32, "DUoRhQ=="));
  }

  @Test
  void decode_headerChecksumNotMatching_failsTheLastReadWithBadDigest() {
    DecodedBody body =
        decode(
            UNSIGNED,
            TestRequest.of("PUT", "/b/k").header("x-amz-checksum-crc32", "AAAAAA=="),
            HELLO);
    assertS3Error(
        body::readAllBytes,
        S3Error.BAD_DIGEST,
        "The CRC32 you specified did not match the calculated checksum.");
  }

  @Test
  void decode_headerChecksumOverAChunkedBody_checksTheDecodedBytes() throws IOException {
    byte[] body =
        ChunkedBodies.encode(
            HELLO, new int[] {4, 7}, ChunkedBodies.Mode.UNSIGNED_TRAILER, null, null);
    DecodedBody decoded =
        decode(
            UNSIGNED_TRAILER,
            TestRequest.of("PUT", "/b/k")
                .header("x-amz-checksum-sha256", ChecksumAlgorithm.SHA256.checksum(HELLO))
                .header("Content-Length", Integer.toString(body.length))
                .header("x-amz-decoded-content-length", "11"),
            body);
    assertThat(decoded.readAllBytes()).isEqualTo(HELLO);
    assertThat(decoded.checksum()).map(ChecksumValue::algorithm).contains(ChecksumAlgorithm.SHA256);
  }

  @Test
  void decode_checksumConfigurationHeaders_areNotValues() throws IOException {
    DecodedBody body =
        decode(
            UNSIGNED,
            TestRequest.of("PUT", "/b/k")
                .header("x-amz-checksum-type", "FULL_OBJECT")
                .header("x-amz-checksum-algorithm", "CRC32"),
            HELLO);
    assertThat(body.readAllBytes()).isEqualTo(HELLO);
    assertThat(body.checksum()).isEmpty();
  }

  @Test
  void decode_twoChecksums_isInvalidRequest() {
    String single =
        "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.";
    assertS3Error(
        () ->
            decode(
                UNSIGNED,
                TestRequest.of("PUT", "/b/k")
                    .header("x-amz-checksum-crc32", "DUoRhQ==")
                    .header("x-amz-checksum-crc32c", "AAAAAA=="),
                HELLO),
        S3Error.INVALID_REQUEST,
        single);
    assertS3Error(
        () ->
            decode(
                UNSIGNED_TRAILER,
                TestRequest.of("PUT", "/b/k")
                    .header("x-amz-checksum-crc32", "DUoRhQ==")
                    .header("x-amz-trailer", "x-amz-checksum-crc32c"),
                HELLO),
        S3Error.INVALID_REQUEST,
        single);
  }

  @Test
  void decode_unsupportedChecksumHeader_isRefusedRatherThanIgnored() {
    assertS3Error(
        () ->
            decode(
                UNSIGNED,
                TestRequest.of("PUT", "/b/k").header("x-amz-checksum-sha512", "AAAA"),
                HELLO),
        S3Error.INVALID_REQUEST,
        null);
  }

  @Test
  void decode_malformedHeaderChecksum_isBadDigestBeforeReading() {
    assertS3Error(
        () ->
            decode(
                UNSIGNED,
                TestRequest.of("PUT", "/b/k").header("x-amz-checksum-crc32c", "xyz"),
                HELLO),
        S3Error.BAD_DIGEST,
        "Value for x-amz-checksum-crc32c header is invalid.");
  }

  @Test
  void decode_declaredAlgorithmOtherThanTheValue_isInvalidRequest() {
    assertS3Error(
        () ->
            decode(
                UNSIGNED,
                TestRequest.of("PUT", "/b/k")
                    .header("x-amz-sdk-checksum-algorithm", "CRC32C")
                    .header("x-amz-checksum-crc32", "DUoRhQ=="),
                HELLO),
        S3Error.INVALID_REQUEST,
        "Value for x-amz-sdk-checksum-algorithm header is invalid.");
  }

  @Test
  void decode_awsChunkedEncodingWithoutStreamingDeclaration_isAPlainBody() throws Exception {
    var body =
        decode(
            UNSIGNED,
            TestRequest.of("PUT", "/b/k").header("Content-Encoding", "gzip, aws-chunked"),
            HELLO);
    assertThat(body.readAllBytes()).isEqualTo(HELLO);
  }

  @Test
  void decode_trailerWithoutTrailerMode_isRefused() {
    assertS3Error(
        () ->
            decode(
                UNSIGNED,
                TestRequest.of("PUT", "/b/k").header("x-amz-trailer", "x-amz-checksum-crc32"),
                HELLO),
        S3Error.INVALID_REQUEST,
        null);
  }

  @Test
  void decode_unsupportedTrailer_isRefused() {
    assertS3Error(
        () ->
            decode(
                UNSIGNED_TRAILER,
                TestRequest.of("PUT", "/b/k").header("x-amz-trailer", "x-amz-meta-foo"),
                HELLO),
        S3Error.INVALID_REQUEST,
        "The value specified in the x-amz-trailer header is not supported");
  }

  @Test
  void decode_malformedLengths_areInvalidArgument() {
    assertS3Error(
        () -> decode(UNSIGNED, TestRequest.of("PUT", "/b/k").header("Content-Length", "-1"), HELLO),
        S3Error.INVALID_ARGUMENT,
        null);
    assertS3Error(
        () ->
            decode(
                UNSIGNED_TRAILER,
                TestRequest.of("PUT", "/b/k").header("x-amz-decoded-content-length", "x"),
                HELLO),
        S3Error.INVALID_ARGUMENT,
        null);
  }

  @Test
  void decode_unsignedPayloadWithoutChecksum_passesTheBodyThrough() throws IOException {
    DecodedBody body =
        decode(UNSIGNED, TestRequest.of("PUT", "/b/k").header("Content-Length", "11"), HELLO);
    assertThat(body.payloadMode()).isEqualTo(PayloadMode.UNSIGNED_PAYLOAD);
    assertThat(body.readAllBytes()).isEqualTo(HELLO);
    assertThat(body.checksum()).isEmpty();
  }

  @Test
  void decode_completeMultipartUpload_leavesTheObjectChecksumHeaderToCompletion() throws Exception {
    // A composite value ("...-3") describes the object, not the XML body.
    var body =
        decode(
            UNSIGNED,
            TestRequest.of("POST", "/b/k")
                .query("uploadId=abc")
                .header("x-amz-checksum-sha256", "oGHDpB1RW0TjvAxKtCKLZW0hmYb/LjnmWrszyd5M2bk=-3"),
            HELLO);
    assertThat(body.readAllBytes()).isEqualTo(HELLO);
    assertThat(body.checksum()).isEmpty();
  }
}
