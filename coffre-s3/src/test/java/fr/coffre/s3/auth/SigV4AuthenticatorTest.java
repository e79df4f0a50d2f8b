package fr.coffre.s3.auth;

import static fr.coffre.s3.auth.TestRequest.AKID;
import static fr.coffre.s3.auth.TestRequest.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.s3.RawRequest;
import fr.coffre.s3.RequestAuthenticator;
import fr.coffre.s3.RequestAuthenticator.Authenticated;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.checksum.ChecksumAlgorithm;
import fr.coffre.s3.checksum.ChecksumValue;
import fr.coffre.s3.chunked.ChunkedBodies;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Verification and body decoding together, as the S3 edge calls them. */
class SigV4AuthenticatorTest {
  private static final Instant SDK_TIME = Instant.parse("2025-03-14T15:09:26Z");
  private static final Instant DOCS_TIME = Instant.parse("2013-05-24T00:00:00Z");

  // As S3Api wires it: a lambda from access key to secret.
  private final RequestAuthenticator authenticator =
      new SigV4Authenticator(k -> k.equals(AKID) ? Optional.of(SECRET) : Optional.empty());

  private static RawRequest raw(SigV4Request r) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : r.headerNames()) {
      headers.put(name, r.headers(name));
    }
    return new RawRequest(r.method(), r.rawPath(), r.rawQuery(), headers, false);
  }

  private static RawRequest sdkChunked(
      String contentSha256, String trailer, String contentLength, String signature) {
    TestRequest t =
        TestRequest.of("PUT", "/bucket/chunked.bin")
            .header("Host", "localhost:9000")
            .header("Content-Encoding", "aws-chunked")
            .header("Content-Length", contentLength)
            .header("x-amz-content-sha256", contentSha256)
            .header("X-Amz-Date", "20250314T150926Z")
            .header("x-amz-decoded-content-length", "200000");
    String signed =
        "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length";
    if (trailer != null) {
      t.header("x-amz-trailer", trailer);
      signed += ";x-amz-trailer";
    }
    t.header(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential="
            + AKID
            + "/20250314/eu-west-3/s3/aws4_request, SignedHeaders="
            + signed
            + ", Signature="
            + signature);
    return raw(t.build());
  }

  @Test
  void authenticate_awsSdkPut_yieldsTheKeyAndTheVerifiedBody() throws IOException {
    String path = "/bucket/%C3%A9t%C3%A9/%E2%82%ACuro%202.txt";
    RawRequest request =
        raw(SigV4VerifierTest.sdkPut(path, SigV4VerifierTest.SDK_PUTS.get(path)).build());
    Authenticated auth =
        authenticator.authenticate(request, new ByteArrayInputStream("hello".getBytes()), SDK_TIME);
    assertThat(auth.accessKey()).isEqualTo(AKID);
    assertThat(auth.body().readAllBytes()).isEqualTo("hello".getBytes());
    assertThat(((DecodedBody) auth.body()).payloadMode()).isEqualTo(PayloadMode.SIGNED);
  }

  @Test
  void authenticate_awsSdkPutWithAlteredBody_failsAtTheEndOfTheBody() throws IOException {
    String path = "/bucket/a%25b";
    RawRequest request =
        raw(SigV4VerifierTest.sdkPut(path, SigV4VerifierTest.SDK_PUTS.get(path)).build());
    Authenticated auth =
        authenticator.authenticate(request, new ByteArrayInputStream("jello".getBytes()), SDK_TIME);
    assertThat(auth.body().readNBytes(5)).isEqualTo("jello".getBytes());
    assertThatThrownBy(() -> auth.body().read())
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.error()).isEqualTo(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH));
  }

  @Test
  void authenticate_bodyShorterThanContentLength_failsWithIncompleteBody() {
    String path = "/bucket/a%25b";
    RawRequest request =
        raw(SigV4VerifierTest.sdkPut(path, SigV4VerifierTest.SDK_PUTS.get(path)).build());
    Authenticated auth =
        authenticator.authenticate(request, new ByteArrayInputStream("hell".getBytes()), SDK_TIME);
    assertThatThrownBy(() -> auth.body().readAllBytes())
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.INCOMPLETE_BODY));
  }

  @Test
  void authenticate_awsSdkChunkedUploads_decodeAndVerifyEndToEnd() throws IOException {
    byte[] data = ChunkedBodies.sdkPattern();
    byte[] first = Arrays.copyOfRange(data, 0, 0x20000);
    byte[] second = Arrays.copyOfRange(data, 0x20000, data.length);
    byte[] signedTrailer =
        ChunkedBodies.concat(
            "20000;chunk-signature=e7db358f41e76ad55ca3d04973fedfd41abe329542007bf7f288dc84567f5cfe\r\n",
            first,
            "\r\n"
                + "10d40;chunk-signature=6cb449da4504b87da10c212b417826dd42dbd490181ee0b0b3f6da7fed5805ba\r\n",
            second,
            "\r\n"
                + "0;chunk-signature=c4135cff92311014c0f006f8613707ec327e826fa3129699de80e8a92eb149b0\r\n",
            "x-amz-checksum-crc32c:8Xo2MQ==\r\n",
            "x-amz-trailer-signature:620fbcab9bcf2bdc0c9ec3652c5a399e0176fb8962dd528feab0cb8714eca1e8\r\n",
            "\r\n");
    Authenticated auth =
        authenticator.authenticate(
            sdkChunked(
                "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
                "x-amz-checksum-crc32c",
                "200388",
                "9a39aa85f04856e57cd9b906f15142e4fff9199c72972973fdc72d2ea524a69a"),
            new ByteArrayInputStream(signedTrailer),
            SDK_TIME);
    DecodedBody body = (DecodedBody) auth.body();
    assertThat(body.checksum()).isEmpty();
    assertThat(body.readAllBytes()).isEqualTo(data);
    assertThat(body.checksum()).contains(new ChecksumValue(ChecksumAlgorithm.CRC32C, "8Xo2MQ=="));

    byte[] unsignedTrailer =
        ChunkedBodies.concat(
            "20000\r\n",
            first,
            "\r\n10d40\r\n",
            second,
            "\r\n0\r\n",
            "x-amz-checksum-crc32:0iag1g==\r\n",
            "\r\n");
    auth =
        authenticator.authenticate(
            sdkChunked(
                "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                "x-amz-checksum-crc32",
                "200054",
                "0df80f5d91d2bb8c8df6b576a904cf16f0b447597fe5e5faec66bfafd3b49fe9"),
            new ByteArrayInputStream(unsignedTrailer),
            SDK_TIME);
    assertThat(auth.body().readAllBytes()).isEqualTo(data);
    assertThat(((DecodedBody) auth.body()).checksum())
        .contains(new ChecksumValue(ChecksumAlgorithm.CRC32, "0iag1g=="));
  }

  @Test
  void authenticate_awsDocsChunkedUpload_decodesTheDocumentedBody() throws IOException {
    RawRequest request =
        raw(
            TestRequest.of("PUT", "/examplebucket/chunkObject.txt")
                .header("Host", "s3.amazonaws.com")
                .header("x-amz-date", "20130524T000000Z")
                .header("x-amz-storage-class", "REDUCED_REDUNDANCY")
                .header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
                .header("Content-Encoding", "aws-chunked")
                .header("x-amz-decoded-content-length", "66560")
                .header("Content-Length", "66824")
                .header(
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential="
                        + AKID
                        + "/20130524/us-east-1/s3/aws4_request,"
                        + "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;"
                        + "x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,"
                        + "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
                .build());
    byte[] body =
        ChunkedBodies.concat(
            "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n",
            ChunkedBodies.repeat('a', 65536),
            "\r\n"
                + "400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n",
            ChunkedBodies.repeat('a', 1024),
            "\r\n"
                + "0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n");
    assertThat(body).hasSize(66824);
    Authenticated auth =
        authenticator.authenticate(request, new ByteArrayInputStream(body), DOCS_TIME);
    assertThat(auth.body().readAllBytes()).isEqualTo(ChunkedBodies.repeat('a', 66560));
  }

  @Test
  void authenticate_anonymousRequest_isDeniedUnlessAllowed() throws IOException {
    RawRequest request = raw(TestRequest.of("GET", "/b/k").header("Host", "h").build());
    assertThatThrownBy(
            () -> authenticator.authenticate(request, InputStreamOfNothing.get(), DOCS_TIME))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.ACCESS_DENIED));
    RequestAuthenticator open =
        new SigV4Authenticator(new SigV4Verifier(k -> Optional.empty()), true);
    Authenticated auth = open.authenticate(request, InputStreamOfNothing.get(), DOCS_TIME);
    assertThat(auth.accessKey()).isNull();
    assertThat(auth.body().readAllBytes()).isEmpty();
  }

  private static final class InputStreamOfNothing {
    static ByteArrayInputStream get() {
      return new ByteArrayInputStream(new byte[0]);
    }
  }
}
