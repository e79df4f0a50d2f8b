package fr.coffre.s3.auth;

import static fr.coffre.s3.auth.TestRequest.AKID;
import static fr.coffre.s3.auth.TestRequest.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.auth.Authentication.Scheme;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SigV4VerifierTest {
  private static final Instant DOCS_TIME = Instant.parse("2013-05-24T00:00:00Z");
  private static final Instant SDK_TIME = Instant.parse("2025-03-14T15:09:26Z");
  private static final String EMPTY = SigV4.EMPTY_SHA256;
  private static final String DOCS_CREDENTIAL = AKID + "/20130524/us-east-1/s3/aws4_request";
  private static final String SDK_CREDENTIAL = AKID + "/20250314/eu-west-3/s3/aws4_request";

  private final SigV4Verifier verifier =
      new SigV4Verifier(k -> k.equals(AKID) ? Optional.of(SECRET) : Optional.empty());

  private static String authorization(String credential, String signedHeaders, String signature) {
    return "AWS4-HMAC-SHA256 Credential="
        + credential
        + ",SignedHeaders="
        + signedHeaders
        + ",Signature="
        + signature;
  }

  private static void assertS3Error(ThrowingCallable call, S3Error error, String message) {
    assertS3Error(call, error, message, e -> {});
  }

  private static void assertS3Error(
      ThrowingCallable call, S3Error error, String message, Consumer<S3Exception> more) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.error()).isEqualTo(error);
              if (message != null) {
                assertThat(e.getMessage()).isEqualTo(message);
              }
              more.accept(e);
            });
  }

  // ---------------------------------------------------------------- AWS documentation examples

  /** "GET Object" of "Signature Calculations for the Authorization Header", with a Range. */
  private static TestRequest docsGetObject(String signature) {
    return TestRequest.of("GET", "/test.txt")
        .header("Host", "examplebucket.s3.amazonaws.com")
        .header("Range", "bytes=0-9")
        .header("x-amz-content-sha256", EMPTY)
        .header("x-amz-date", "20130524T000000Z")
        .header(
            "Authorization",
            authorization(
                DOCS_CREDENTIAL, "host;range;x-amz-content-sha256;x-amz-date", signature));
  }

  private static final String DOCS_GET_SIGNATURE =
      "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";

  @Test
  void verify_awsDocsGetObject_authenticatesWithTheEmptyPayloadHash() {
    Authentication auth = verifier.verify(docsGetObject(DOCS_GET_SIGNATURE).build(), DOCS_TIME);
    assertThat(auth)
        .isEqualTo(new Authentication(AKID, Scheme.HEADER, PayloadMode.SIGNED, EMPTY, null));
  }

  @Test
  void verify_awsDocsPutObject_authenticatesWithTheSignedPayloadHash() {
    String hash = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";
    SigV4Request request =
        TestRequest.of("PUT", "/test$file.text")
            .header("Host", "examplebucket.s3.amazonaws.com")
            .header("Date", "Fri, 24 May 2013 00:00:00 GMT")
            .header("x-amz-date", "20130524T000000Z")
            .header("x-amz-storage-class", "REDUCED_REDUNDANCY")
            .header("x-amz-content-sha256", hash)
            .header(
                "Authorization",
                authorization(
                    DOCS_CREDENTIAL,
                    "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                    "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"))
            .build();
    Authentication auth = verifier.verify(request, DOCS_TIME);
    assertThat(auth.payloadMode()).isEqualTo(PayloadMode.SIGNED);
    assertThat(auth.payloadSha256()).isEqualTo(hash);
    assertThat(auth.accessKey()).isEqualTo(AKID);
  }

  @Test
  void verify_awsDocsGetBucketLifecycle_authenticatesAValuelessSubresource() {
    SigV4Request request =
        TestRequest.of("GET", "/")
            .query("lifecycle")
            .header("Host", "examplebucket.s3.amazonaws.com")
            .header("x-amz-date", "20130524T000000Z")
            .header("x-amz-content-sha256", EMPTY)
            .header(
                "Authorization",
                authorization(
                    DOCS_CREDENTIAL,
                    "host;x-amz-content-sha256;x-amz-date",
                    "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"))
            .build();
    assertThat(verifier.verify(request, DOCS_TIME).accessKey()).isEqualTo(AKID);
  }

  @Test
  void verify_awsDocsListObjects_authenticatesASortedQuery() {
    for (String query : new String[] {"max-keys=2&prefix=J", "prefix=J&max-keys=2"}) {
      SigV4Request request =
          TestRequest.of("GET", "/")
              .query(query)
              .header("Host", "examplebucket.s3.amazonaws.com")
              .header("x-amz-date", "20130524T000000Z")
              .header("x-amz-content-sha256", EMPTY)
              .header(
                  "Authorization",
                  authorization(
                      DOCS_CREDENTIAL,
                      "host;x-amz-content-sha256;x-amz-date",
                      "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"))
              .build();
      assertThat(verifier.verify(request, DOCS_TIME).accessKey()).isEqualTo(AKID);
    }
  }

  @Test
  void verify_afterTheSecretOfAnAccessKeyChanged_refusesSignaturesMadeWithTheOldOne() {
    java.util.concurrent.atomic.AtomicReference<String> secret =
        new java.util.concurrent.atomic.AtomicReference<>(SECRET);
    SigV4Verifier rotating =
        new SigV4Verifier(k -> k.equals(AKID) ? Optional.of(secret.get()) : Optional.empty());
    SigV4Request request =
        TestRequest.of("GET", "/")
            .query("max-keys=2&prefix=J")
            .header("Host", "examplebucket.s3.amazonaws.com")
            .header("x-amz-date", "20130524T000000Z")
            .header("x-amz-content-sha256", EMPTY)
            .header(
                "Authorization",
                authorization(
                    DOCS_CREDENTIAL,
                    "host;x-amz-content-sha256;x-amz-date",
                    "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"))
            .build();
    // twice: the second call uses the day's signing key derived by the first
    assertThat(rotating.verify(request, DOCS_TIME).accessKey()).isEqualTo(AKID);
    assertThat(rotating.verify(request, DOCS_TIME).accessKey()).isEqualTo(AKID);
    secret.set("another-secret-of-the-same-access-key");
    assertThatThrownBy(() -> rotating.verify(request, DOCS_TIME))
        .isInstanceOf(S3Exception.class)
        .extracting(e -> ((S3Exception) e).error())
        .isEqualTo(S3Error.SIGNATURE_DOES_NOT_MATCH);
  }

  private static final String DOCS_PRESIGNED_QUERY =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256"
          + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
          + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
          + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

  private static SigV4Request docsPresigned(String query) {
    return TestRequest.of("GET", "/test.txt")
        .query(query)
        .header("Host", "examplebucket.s3.amazonaws.com")
        .build();
  }

  @Test
  void verify_awsDocsPresignedUrl_authenticatesAnUnsignedPayload() {
    Authentication auth = verifier.verify(docsPresigned(DOCS_PRESIGNED_QUERY), DOCS_TIME);
    assertThat(auth)
        .isEqualTo(
            new Authentication(AKID, Scheme.PRESIGNED, PayloadMode.UNSIGNED_PAYLOAD, null, null));
  }

  @Test
  void verify_awsDocsPresignedUrlUntilItsLastSecond_isValidThenExpired() {
    Instant expiry = DOCS_TIME.plusSeconds(86400);
    assertThat(verifier.verify(docsPresigned(DOCS_PRESIGNED_QUERY), expiry).accessKey())
        .isEqualTo(AKID);
    assertS3Error(
        () -> verifier.verify(docsPresigned(DOCS_PRESIGNED_QUERY), expiry.plusSeconds(1)),
        S3Error.ACCESS_DENIED,
        "Request has expired",
        e ->
            assertThat(e.details())
                .containsEntry("X-Amz-Expires", "86400")
                .containsEntry("Expires", "2013-05-25T00:00:00Z")
                .containsEntry("ServerTime", "2013-05-25T00:00:01Z"));
  }

  @Test
  void verify_awsDocsPresignedUrlUsedTooEarly_isNotValidYet() {
    Instant early = DOCS_TIME.minus(Duration.ofMinutes(16));
    assertS3Error(
        () -> verifier.verify(docsPresigned(DOCS_PRESIGNED_QUERY), early),
        S3Error.ACCESS_DENIED,
        "Request is not valid yet");
    assertThat(verifier.verify(docsPresigned(DOCS_PRESIGNED_QUERY), DOCS_TIME.minusSeconds(900)))
        .isNotNull();
  }

  @Test
  void verify_awsDocsPresignedUrlWithAlteredSignature_isSignatureDoesNotMatch() {
    String query = DOCS_PRESIGNED_QUERY.replace("aeeed9bb", "aeeed9bc");
    assertS3Error(
        () -> verifier.verify(docsPresigned(query), DOCS_TIME),
        S3Error.SIGNATURE_DOES_NOT_MATCH,
        null,
        e ->
            assertThat(e.details().get("CanonicalRequest"))
                .isEqualTo(
                    "GET\n/test.txt\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
                        + "AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                        + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
                        + "&X-Amz-SignedHeaders=host\nhost:examplebucket.s3.amazonaws.com\n\n"
                        + "host\nUNSIGNED-PAYLOAD"));
  }

  @Test
  void verify_awsDocsChunkedUpload_returnsTheSeedForChunkSignatures() {
    SigV4Request request =
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
                authorization(
                    DOCS_CREDENTIAL,
                    "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                        + "x-amz-decoded-content-length;x-amz-storage-class",
                    "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"))
            .build();
    Authentication auth = verifier.verify(request, DOCS_TIME);
    assertThat(auth.payloadMode()).isEqualTo(PayloadMode.STREAMING_SIGNED);
    assertThat(auth.chunkSigner().seedSignature())
        .isEqualTo("4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
    assertThat(auth.chunkSigner().timestamp()).isEqualTo("20130524T000000Z");
    assertThat(auth.chunkSigner().scope()).isEqualTo("20130524/us-east-1/s3/aws4_request");
  }

  @Test
  void verify_awsDocsChunkedUploadWithTrailer_returnsTheSeedForChunkSignatures() {
    SigV4Request request =
        TestRequest.of("PUT", "/examplebucket/chunkObject.txt")
            .header("Host", "s3.amazonaws.com")
            .header("x-amz-date", "20130524T000000Z")
            .header("x-amz-storage-class", "REDUCED_REDUNDANCY")
            .header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER")
            .header("Content-Encoding", "aws-chunked")
            .header("x-amz-decoded-content-length", "66560")
            .header("x-amz-trailer", "x-amz-checksum-crc32c")
            .header(
                "Authorization",
                authorization(
                    DOCS_CREDENTIAL,
                    "content-encoding;host;x-amz-content-sha256;x-amz-date;"
                        + "x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer",
                    "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"))
            .build();
    Authentication auth = verifier.verify(request, DOCS_TIME);
    assertThat(auth.payloadMode()).isEqualTo(PayloadMode.STREAMING_SIGNED_TRAILER);
    assertThat(auth.chunkSigner().seedSignature())
        .isEqualTo("106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e");
  }

  // ---------------------------------------------------------------- AWS SDK for Java v2 vectors

  /** A PUT of "hello" as the AWS SDK v2 signer signed it, sent with the path {@code wirePath}. */
  static TestRequest sdkPut(String wirePath, String signature) {
    return TestRequest.of("PUT", wirePath)
        .header("Host", "localhost:9000")
        .header("Content-Length", "5")
        .header(
            "x-amz-content-sha256",
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        .header("X-Amz-Date", "20250314T150926Z")
        .header("x-amz-meta-note", "  two   words  ")
        .header(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential="
                + SDK_CREDENTIAL
                + ", SignedHeaders=content-length;host;x-amz-content-sha256;x-amz-date;"
                + "x-amz-meta-note, Signature="
                + signature);
  }

  static final Map<String, String> SDK_PUTS =
      Map.of(
          // key "my file+name~x=1.txt"
          "/bucket/my%20file%2Bname~x%3D1.txt",
          "875a93a6276bd85dcd918bb5a3c9f6cc8f8fd7c20f0b2cfc87fe057496ff796f",
          // key "dir//sub///x"
          "/bucket/dir//sub///x",
          "eda57f596fb24752d1ea73aedd0a1f2ab9bd5738017380dcd864b1971b8df439",
          // key "été/€uro 2.txt"
          "/bucket/%C3%A9t%C3%A9/%E2%82%ACuro%202.txt",
          "e58a51e41de8953326a75eb283299430e10b938635701cd2681440295186b80b",
          // key "a%b"
          "/bucket/a%25b",
          "b6f9592869b64aadc0a72c5b929fbdafebc6945c3c62de087984306be8af7cf5",
          // key "Jack&Jill?.txt"
          "/bucket/Jack%26Jill%3F.txt",
          "223be6450db933d06e4c48951ef349085752704493ac8494779b33879fa82e02");

  @Test
  void verify_awsSdkPutsOfAwkwardKeys_authenticate() {
    SDK_PUTS.forEach(
        (path, signature) ->
            assertThat(verifier.verify(sdkPut(path, signature).build(), SDK_TIME).payloadSha256())
                .as(path)
                .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"));
  }

  @Test
  void verify_samePathEscapedAsOtherClientsDo_authenticates() {
    String plus = SDK_PUTS.get("/bucket/my%20file%2Bname~x%3D1.txt");
    for (String wire :
        new String[] {
          "/bucket/my%20file+name%7Ex=1.txt", // '+' and '=' bare, '~' escaped
          "/bucket/my%20file%2bname%7ex%3d1.txt", // lowercase escapes
          "/bucket/my%20file%2Bname~x%3D1.txt"
        }) {
      assertThat(verifier.verify(sdkPut(wire, plus).build(), SDK_TIME).accessKey())
          .as(wire)
          .isEqualTo(AKID);
    }
    String unicode = SDK_PUTS.get("/bucket/%C3%A9t%C3%A9/%E2%82%ACuro%202.txt");
    for (String wire :
        new String[] {"/bucket/été/€uro%202.txt", "/bucket/%c3%a9t%c3%a9/%e2%82%acuro%202.txt"}) {
      assertThat(verifier.verify(sdkPut(wire, unicode).build(), SDK_TIME).accessKey())
          .as(wire)
          .isEqualTo(AKID);
    }
  }

  @Test
  void verify_pathOfAnotherKey_isSignatureDoesNotMatch() {
    String plus = SDK_PUTS.get("/bucket/my%20file%2Bname~x%3D1.txt");
    for (String wire :
        new String[] {
          "/bucket/my+file%2Bname~x%3D1.txt", // '+' for the space: another key in a path
          "/bucket/my%20file%2Bname~x%3D2.txt",
          "/bucket/my%20file%2Bname~x%3D1.txt/",
          "/other/my%20file%2Bname~x%3D1.txt"
        }) {
      assertS3Error(
          () -> verifier.verify(sdkPut(wire, plus).build(), SDK_TIME),
          S3Error.SIGNATURE_DOES_NOT_MATCH,
          null);
    }
    String slashes = SDK_PUTS.get("/bucket/dir//sub///x");
    assertS3Error(
        () -> verifier.verify(sdkPut("/bucket/dir/sub/x", slashes).build(), SDK_TIME),
        S3Error.SIGNATURE_DOES_NOT_MATCH,
        null);
  }

  @Test
  void verify_awsSdkListWithAwkwardQueryValues_authenticates() {
    SigV4Request request =
        TestRequest.of("GET", "/bucket")
            .query(
                "list-type=2&prefix=a%20b%2Bc%2F%C3%A9~&delimiter=%2F&encoding-type=url"
                    + "&start-after=x%3Dy%26z")
            .header("Host", "localhost:9000")
            .header("x-amz-content-sha256", EMPTY)
            .header("X-Amz-Date", "20250314T150926Z")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential="
                    + SDK_CREDENTIAL
                    + ", SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
                    + " Signature=1db76dadc0abc7eaf4bbbc35c35e15182e61b119acf1c0bbb5c7ff0f3718e1cf")
            .build();
    assertThat(verifier.verify(request, SDK_TIME).accessKey()).isEqualTo(AKID);
  }

  @Test
  void verify_awsSdkPresignedUrlForAUnicodeKey_authenticates() {
    SigV4Request request =
        TestRequest.of("GET", "/bucket/%C3%A9t%C3%A9/%E2%82%ACuro%202.txt")
            .query(
                "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20250314T150926Z"
                    + "&X-Amz-SignedHeaders=host&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20250314"
                    + "%2Feu-west-3%2Fs3%2Faws4_request&X-Amz-Expires=3600"
                    + "&X-Amz-Signature=bc6db518bdee6a3dc9257ef766af9f4446218b2fc1dfc223c61e77a6f8a89843")
            .header("Host", "localhost:9000")
            .build();
    assertThat(verifier.verify(request, SDK_TIME.plusSeconds(3600)).scheme())
        .isEqualTo(Scheme.PRESIGNED);
  }

  @Test
  void verify_regionPinned_acceptsItsRegionAndNamesItOtherwise() {
    SigV4Verifier paris =
        new SigV4Verifier(
            k -> k.equals(AKID) ? Optional.of(SECRET) : Optional.empty(), "eu-west-3");
    String path = "/bucket/a%25b";
    assertThat(paris.verify(sdkPut(path, SDK_PUTS.get(path)).build(), SDK_TIME)).isNotNull();
    assertS3Error(
        () -> paris.verify(docsGetObject(DOCS_GET_SIGNATURE).build(), DOCS_TIME),
        S3Error.AUTHORIZATION_HEADER_MALFORMED,
        "The authorization header is malformed; the region 'us-east-1' is wrong; expecting"
            + " 'eu-west-3'",
        e -> assertThat(e.details()).containsEntry("Region", "eu-west-3"));
    assertS3Error(
        () -> paris.verify(docsPresigned(DOCS_PRESIGNED_QUERY), DOCS_TIME),
        S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
        "Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; expecting"
            + " 'eu-west-3'");
  }

  // ---------------------------------------------------------------- signature failures

  @Test
  void verify_alteredSignedHeader_isSignatureDoesNotMatchWithDebugDetailsButNoSecret() {
    SigV4Request request =
        TestRequest.of("GET", "/test.txt")
            .header("Host", "examplebucket.s3.amazonaws.com")
            .header("Range", "bytes=0-10")
            .header("x-amz-content-sha256", EMPTY)
            .header("x-amz-date", "20130524T000000Z")
            .header(
                "Authorization",
                authorization(
                    DOCS_CREDENTIAL,
                    "host;range;x-amz-content-sha256;x-amz-date",
                    DOCS_GET_SIGNATURE))
            .build();
    assertS3Error(
        () -> verifier.verify(request, DOCS_TIME),
        S3Error.SIGNATURE_DOES_NOT_MATCH,
        S3Error.SIGNATURE_DOES_NOT_MATCH.defaultMessage(),
        e -> {
          assertThat(e.details())
              .containsEntry("AWSAccessKeyId", AKID)
              .containsEntry("SignatureProvided", DOCS_GET_SIGNATURE)
              .containsEntry(
                  "CanonicalRequest",
                  "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-10\n"
                      + "x-amz-content-sha256:"
                      + EMPTY
                      + "\nx-amz-date:20130524T000000Z\n\n"
                      + "host;range;x-amz-content-sha256;x-amz-date\n"
                      + EMPTY);
          assertThat(e.details().get("StringToSign"))
              .startsWith(
                  "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n");
          assertThat(e.details().values()).noneMatch(v -> v.contains(SECRET));
          assertThat(e.getMessage()).doesNotContain(SECRET);
        });
  }

  @Test
  void verify_unknownAccessKey_isInvalidAccessKeyId() {
    SigV4Verifier nobody = new SigV4Verifier(k -> Optional.empty());
    assertS3Error(
        () -> nobody.verify(docsGetObject(DOCS_GET_SIGNATURE).build(), DOCS_TIME),
        S3Error.INVALID_ACCESS_KEY_ID,
        null,
        e -> assertThat(e.details()).containsEntry("AWSAccessKeyId", AKID));
  }

  @Test
  void verify_wrongSecret_isSignatureDoesNotMatch() {
    SigV4Verifier other = new SigV4Verifier(k -> Optional.of("another secret"));
    assertS3Error(
        () -> other.verify(docsGetObject(DOCS_GET_SIGNATURE).build(), DOCS_TIME),
        S3Error.SIGNATURE_DOES_NOT_MATCH,
        null);
  }

  // ---------------------------------------------------------------- time

  @Test
  void verify_requestTimeFifteenMinutesAway_isAcceptedAndOneSecondMoreIsSkewed() {
    SigV4Request request = docsGetObject(DOCS_GET_SIGNATURE).build();
    assertThat(verifier.verify(request, DOCS_TIME.plus(Duration.ofMinutes(15)))).isNotNull();
    assertThat(verifier.verify(request, DOCS_TIME.minus(Duration.ofMinutes(15)))).isNotNull();
    for (Instant now : new Instant[] {DOCS_TIME.plusSeconds(901), DOCS_TIME.minusSeconds(901)}) {
      assertS3Error(
          () -> verifier.verify(request, now),
          S3Error.REQUEST_TIME_TOO_SKEWED,
          null,
          e ->
              assertThat(e.details())
                  .containsEntry("RequestTime", "20130524T000000Z")
                  .containsEntry("MaxAllowedSkewMilliseconds", "900000")
                  .containsKey("ServerTime"));
    }
  }

  @Test
  void verify_noDateAtAll_isAccessDenied() {
    SigV4Request request =
        TestRequest.of("GET", "/x")
            .header("Host", "h")
            .header("x-amz-content-sha256", EMPTY)
            .header("Authorization", authorization(DOCS_CREDENTIAL, "host", "0".repeat(64)))
            .build();
    assertS3Error(
        () -> verifier.verify(request, DOCS_TIME),
        S3Error.ACCESS_DENIED,
        "AWS authentication requires a valid Date or x-amz-date header");
  }

  @Test
  void verify_unparseableAmzDate_isAccessDenied() {
    SigV4Request request =
        TestRequest.of("GET", "/x")
            .header("Host", "h")
            .header("x-amz-date", "Fri, 24 May 2013 00:00:00 GMT")
            .header("x-amz-content-sha256", EMPTY)
            .header(
                "Authorization", authorization(DOCS_CREDENTIAL, "host;x-amz-date", "0".repeat(64)))
            .build();
    assertS3Error(
        () -> verifier.verify(request, DOCS_TIME),
        S3Error.ACCESS_DENIED,
        "AWS authentication requires a valid Date or x-amz-date header");
  }

  @Test
  void verify_dateHeaderWithoutAmzDate_isUsedForTheSignature() {
    SigV4Request request =
        TestRequest.of("GET", "/x")
            .header("Host", "h")
            .header("Date", "Fri, 24 May 2013 00:00:00 GMT")
            .header("x-amz-content-sha256", EMPTY)
            .sign("date;host", DOCS_TIME, "us-east-1", SECRET)
            .build();
    assertThat(verifier.verify(request, DOCS_TIME).accessKey()).isEqualTo(AKID);
  }

  @Test
  void verify_credentialOfAnotherDay_isAuthorizationHeaderMalformed() {
    SigV4Request request = docsGetObject(DOCS_GET_SIGNATURE).build();
    SigV4Request otherDay =
        TestRequest.of("GET", "/test.txt")
            .header("Host", "examplebucket.s3.amazonaws.com")
            .header("x-amz-content-sha256", EMPTY)
            .header("x-amz-date", "20130525T000000Z")
            .header("Authorization", request.header("authorization"))
            .build();
    assertS3Error(
        () -> verifier.verify(otherDay, DOCS_TIME.plus(Duration.ofDays(1))),
        S3Error.AUTHORIZATION_HEADER_MALFORMED,
        "The authorization header is malformed; Invalid credential date. Date is not the same as"
            + " X-Amz-Date.");
  }

  // ---------------------------------------------------------------- payload declaration

  @Test
  void verify_headerAuthWithoutContentSha256_isInvalidRequest() {
    SigV4Request request =
        TestRequest.of("GET", "/x")
            .header("Host", "h")
            .header("x-amz-date", "20130524T000000Z")
            .sign("host;x-amz-date", DOCS_TIME, "us-east-1", SECRET)
            .build();
    assertS3Error(
        () -> verifier.verify(request, DOCS_TIME),
        S3Error.INVALID_REQUEST,
        "Missing required header for this request: x-amz-content-sha256");
  }

  @Test
  void verify_unknownContentSha256Value_isInvalidArgument() {
    SigV4Request request =
        TestRequest.of("GET", "/x")
            .header("Host", "h")
            .header("x-amz-date", "20130524T000000Z")
            .header("x-amz-content-sha256", "STREAMING-SOMETHING")
            .sign("host;x-amz-content-sha256;x-amz-date", DOCS_TIME, "us-east-1", SECRET)
            .build();
    assertS3Error(
        () -> verifier.verify(request, DOCS_TIME),
        S3Error.INVALID_ARGUMENT,
        null,
        e ->
            assertThat(e.details())
                .containsEntry("ArgumentName", "x-amz-content-sha256")
                .containsEntry("ArgumentValue", "STREAMING-SOMETHING"));
  }

  @Test
  void verify_eachStreamingDeclaration_selectsItsMode() {
    Map<String, PayloadMode> modes =
        Map.of(
            "UNSIGNED-PAYLOAD",
            PayloadMode.UNSIGNED_PAYLOAD,
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            PayloadMode.STREAMING_SIGNED,
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
            PayloadMode.STREAMING_SIGNED_TRAILER,
            "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            PayloadMode.STREAMING_UNSIGNED_TRAILER,
            EMPTY.toUpperCase(),
            PayloadMode.SIGNED);
    modes.forEach(
        (value, mode) -> {
          SigV4Request request =
              TestRequest.of("PUT", "/x")
                  .header("Host", "h")
                  .header("x-amz-date", "20130524T000000Z")
                  .header("x-amz-content-sha256", value)
                  .sign("host;x-amz-content-sha256;x-amz-date", DOCS_TIME, "us-east-1", SECRET)
                  .build();
          Authentication auth = verifier.verify(request, DOCS_TIME);
          assertThat(auth.payloadMode()).as(value).isEqualTo(mode);
          assertThat(auth.chunkSigner() != null).isEqualTo(mode.hasSignedChunks());
        });
  }

  // ---------------------------------------------------------------- unsigned headers

  @Test
  void verify_unsignedAmzHeader_isAccessDeniedNamingIt() {
    SigV4Request request =
        docsGetObject(DOCS_GET_SIGNATURE)
            .header("x-amz-copy-source", "/other/key")
            .header("X-Amz-Meta-Extra", "1")
            .build();
    assertS3Error(
        () -> verifier.verify(request, DOCS_TIME),
        S3Error.ACCESS_DENIED,
        "There were headers present in the request which were not signed",
        e ->
            assertThat(e.details())
                .containsEntry("HeadersNotSigned", "x-amz-copy-source, x-amz-meta-extra"));
  }

  @Test
  void verify_unsignedAmzHeaderOnPresignedUrl_isAccessDenied() {
    SigV4Request request =
        TestRequest.of("GET", "/test.txt")
            .query(DOCS_PRESIGNED_QUERY)
            .header("Host", "examplebucket.s3.amazonaws.com")
            .header("x-amz-acl", "public-read")
            .build();
    assertS3Error(() -> verifier.verify(request, DOCS_TIME), S3Error.ACCESS_DENIED, null);
  }

  @Test
  void verify_unsignedContentSha256AndOtherHeaders_areTolerated() {
    SigV4Request request =
        TestRequest.of("GET", "/x")
            .header("Host", "h")
            .header("x-amz-date", "20130524T000000Z")
            .header("x-amz-content-sha256", EMPTY)
            .header("User-Agent", "aws-cli")
            .header("X-Amzn-Trace-Id", "Root=1")
            .sign("host;x-amz-date", DOCS_TIME, "us-east-1", SECRET)
            .build();
    assertThat(verifier.verify(request, DOCS_TIME).accessKey()).isEqualTo(AKID);
  }

  @Test
  void verify_hostNotSigned_isAccessDenied() {
    SigV4Request request =
        TestRequest.of("GET", "/x")
            .header("Host", "h")
            .header("x-amz-date", "20130524T000000Z")
            .header("x-amz-content-sha256", EMPTY)
            .sign("x-amz-content-sha256;x-amz-date", DOCS_TIME, "us-east-1", SECRET)
            .build();
    assertS3Error(
        () -> verifier.verify(request, DOCS_TIME),
        S3Error.ACCESS_DENIED,
        null,
        e -> assertThat(e.details()).containsEntry("HeadersNotSigned", "host"));
  }

  // ---------------------------------------------------------------- malformed authorization

  private SigV4Request withAuthorization(String value) {
    return TestRequest.of("GET", "/test.txt")
        .header("Host", "examplebucket.s3.amazonaws.com")
        .header("x-amz-content-sha256", EMPTY)
        .header("x-amz-date", "20130524T000000Z")
        .header("Authorization", value)
        .build();
  }

  @Test
  void verify_authorizationWithoutItsThreeComponents_isMalformed() {
    String three =
        "The authorization header is malformed; the authorization header requires three"
            + " components: Credential, SignedHeaders, and Signature.";
    for (String value :
        new String[] {
          "AWS4-HMAC-SHA256 Credential=" + DOCS_CREDENTIAL + ", SignedHeaders=host",
          "AWS4-HMAC-SHA256 Credential="
              + DOCS_CREDENTIAL
              + ", SignedHeaders=host, Signature=a,"
              + " Signature=b",
          "AWS4-HMAC-SHA256 Credential=" + DOCS_CREDENTIAL + ", SignedHeaders=host, Sig=a",
          "AWS4-HMAC-SHA256 garbage",
          "AWS4-HMAC-SHA256 "
        }) {
      assertS3Error(
          () -> verifier.verify(withAuthorization(value), DOCS_TIME),
          S3Error.AUTHORIZATION_HEADER_MALFORMED,
          three);
    }
  }

  @Test
  void verify_accessKeyIdOver128CharactersOrWithControls_isMalformed_neverLookedUp() {
    for (String id : new String[] {"A".repeat(129), "A".repeat(50_000), "AKID\u0001X"}) {
      assertS3Error(
          () ->
              verifier.verify(
                  withAuthorization(
                      authorization(
                          id + "/20130524/us-east-1/s3/aws4_request", "host", "0".repeat(64))),
                  DOCS_TIME),
          S3Error.AUTHORIZATION_HEADER_MALFORMED,
          "The authorization header is malformed; the access key id must be 1 to 128 printable ASCII characters.");
    }
  }

  @Test
  void verify_malformedCredential_isMalformedWithS3sReason() {
    String prefix = "The authorization header is malformed; ";
    String malformed =
        "the Credential is mal-formed; expecting"
            + " \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";
    Map<String, String> cases =
        Map.of(
            AKID + "/20130524/us-east-1/s3",
            malformed,
            AKID + "/2013-05-24/us-east-1/s3/aws4_request",
            malformed,
            AKID + "/20131324/us-east-1/s3/aws4_request",
            malformed,
            "/20130524/us-east-1/s3/aws4_request",
            malformed,
            AKID + "/20130524/us-east-1/ec2/aws4_request",
            "incorrect service \"ec2\". This endpoint belongs to \"s3\".",
            AKID + "/20130524/us-east-1/s3/aws5_request",
            "incorrect terminal \"aws5_request\". This endpoint uses \"aws4_request\".");
    cases.forEach(
        (credential, reason) ->
            assertS3Error(
                () ->
                    verifier.verify(
                        withAuthorization(authorization(credential, "host", "0".repeat(64))),
                        DOCS_TIME),
                S3Error.AUTHORIZATION_HEADER_MALFORMED,
                prefix + reason));
  }

  @Test
  void verify_emptySignedHeaderName_isMalformed() {
    assertS3Error(
        () ->
            verifier.verify(
                withAuthorization(
                    authorization(DOCS_CREDENTIAL, "host;;x-amz-date", "0".repeat(64))),
                DOCS_TIME),
        S3Error.AUTHORIZATION_HEADER_MALFORMED,
        null);
  }

  @Test
  void verify_signatureVersion2_isRefusedAsS3DoesInV4OnlyRegions() {
    String message =
        "The authorization mechanism you have provided is not supported. Please use"
            + " AWS4-HMAC-SHA256.";
    assertS3Error(
        () ->
            verifier.verify(
                withAuthorization("AWS " + AKID + ":frJIUN8DYpKDtOLCwo//yllqDzg="), DOCS_TIME),
        S3Error.INVALID_REQUEST,
        message);
    SigV4Request presignedV2 =
        TestRequest.of("GET", "/test.txt")
            .query(
                "AWSAccessKeyId="
                    + AKID
                    + "&Expires=1141889120&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D")
            .header("Host", "examplebucket.s3.amazonaws.com")
            .build();
    assertS3Error(() -> verifier.verify(presignedV2, DOCS_TIME), S3Error.INVALID_REQUEST, message);
  }

  @Test
  void verify_otherAuthorizationScheme_isInvalidArgumentWithoutEchoingTheCredential() {
    assertS3Error(
        () -> verifier.verify(withAuthorization("Bearer top-secret-token"), DOCS_TIME),
        S3Error.INVALID_ARGUMENT,
        "Unsupported Authorization Type",
        e -> {
          assertThat(e.details()).containsEntry("ArgumentValue", "Bearer");
          assertThat(e.details().values()).noneMatch(v -> v.contains("top-secret-token"));
        });
  }

  @Test
  void verify_headerAndQueryAuthentication_isInvalidArgument() {
    SigV4Request both =
        TestRequest.of("GET", "/test.txt")
            .query(DOCS_PRESIGNED_QUERY)
            .header("Host", "examplebucket.s3.amazonaws.com")
            .header(
                "Authorization", docsGetObject(DOCS_GET_SIGNATURE).build().header("authorization"))
            .build();
    assertS3Error(() -> verifier.verify(both, DOCS_TIME), S3Error.INVALID_ARGUMENT, null);
    SigV4Request twice =
        docsGetObject(DOCS_GET_SIGNATURE)
            .header("Authorization", authorization(DOCS_CREDENTIAL, "host", "0".repeat(64)))
            .build();
    assertS3Error(() -> verifier.verify(twice, DOCS_TIME), S3Error.INVALID_ARGUMENT, null);
  }

  // ---------------------------------------------------------------- malformed presigned URLs

  @Test
  void verify_presignedUrlMissingAParameter_isAuthorizationQueryParametersError() {
    for (String drop :
        new String[] {
          "X-Amz-Date",
          "X-Amz-Expires",
          "X-Amz-SignedHeaders",
          "X-Amz-Signature",
          "X-Amz-Algorithm",
          "X-Amz-Credential"
        }) {
      String query = DOCS_PRESIGNED_QUERY.replaceAll("&?" + drop + "=[^&]*", "");
      assertS3Error(
          () -> verifier.verify(docsPresigned(query), DOCS_TIME),
          S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
          "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential,"
              + " X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
    }
  }

  @Test
  void verify_presignedUrlWithBadParameters_isAuthorizationQueryParametersError() {
    Map<String, String> cases =
        Map.of(
            "X-Amz-Expires=86400", "X-Amz-Expires=604801",
            "X-Amz-Expires=86400&", "X-Amz-Expires=0&",
            "X-Amz-Expires=86400&X", "X-Amz-Expires=-1&X",
            "X-Amz-Expires=86400&X-", "X-Amz-Expires=soon&X-",
            "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1",
            "X-Amz-Date=20130524T000000Z", "X-Amz-Date=2013-05-24T00:00:00Z",
            "%2Fs3%2F", "%2Fiam%2F",
            "X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host&X-Amz-Date=20130524T000000Z");
    cases.forEach(
        (from, to) ->
            assertS3Error(
                () ->
                    verifier.verify(
                        docsPresigned(DOCS_PRESIGNED_QUERY.replace(from, to)), DOCS_TIME),
                S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                null));
    assertS3Error(
        () ->
            verifier.verify(
                docsPresigned(
                    DOCS_PRESIGNED_QUERY.replace("X-Amz-Expires=86400", "X-Amz-Expires=604801")),
                DOCS_TIME),
        S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
        "X-Amz-Expires must be less than a week (in seconds) that is 604800");
  }

  @Test
  void verify_presignedUrlSignedByTheTestSigner_authenticatesAtItsLimits() {
    SigV4Request week =
        TestRequest.of("PUT", "/bucket/k")
            .header("Host", "h")
            .presign("host", DOCS_TIME, 604800, "us-east-1", SECRET)
            .build();
    assertThat(verifier.verify(week, DOCS_TIME.plusSeconds(604800)).accessKey()).isEqualTo(AKID);
  }

  // ---------------------------------------------------------------- anonymous

  @Test
  void verify_noAuthentication_isAnonymousWithTheDeclaredPayload() {
    assertThat(
            verifier.verify(TestRequest.of("GET", "/b/k").header("Host", "h").build(), DOCS_TIME))
        .isEqualTo(
            new Authentication(null, Scheme.ANONYMOUS, PayloadMode.UNSIGNED_PAYLOAD, null, null));
    Authentication hashed =
        verifier.verify(
            TestRequest.of("PUT", "/b/k").header("x-amz-content-sha256", EMPTY).build(), DOCS_TIME);
    assertThat(hashed.payloadMode()).isEqualTo(PayloadMode.SIGNED);
    assertThat(hashed.isAnonymous()).isTrue();
    Authentication trailer =
        verifier.verify(
            TestRequest.of("PUT", "/b/k")
                .header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                .build(),
            DOCS_TIME);
    assertThat(trailer.payloadMode()).isEqualTo(PayloadMode.STREAMING_UNSIGNED_TRAILER);
  }

  @Test
  void verify_anonymousSignedStreaming_isInvalidRequest() {
    assertS3Error(
        () ->
            verifier.verify(
                TestRequest.of("PUT", "/b/k")
                    .header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
                    .build(),
                DOCS_TIME),
        S3Error.INVALID_REQUEST,
        null);
  }

  @Test
  void verify_contentSha256WithNonAsciiDigits_isInvalidArgument() {
    // Found by SigV4FuzzTest: Character.digit takes \u0663 (ARABIC-INDIC THREE) and \uff46
    // (FULLWIDTH f) for hex, so the value passed for a hash and then broke Authentication's own
    // check: an IllegalArgumentException (a 500) for any unsigned request that sent it.
    String value = "e3b0c44298fc1\u0663149afbf4c8996fb92427ae41e4649b934\uff46a495991b7852b855";
    assertS3Error(
        () ->
            verifier.verify(
                TestRequest.of("PUT", "/b/k").header("x-amz-content-sha256", value).build(),
                DOCS_TIME),
        S3Error.INVALID_ARGUMENT,
        null,
        e -> assertThat(e.details()).containsEntry("ArgumentValue", value));
  }

  // ---------------------------------------------------------------- construction

  @Test
  void construct_badRegion_isRefusedNamingIt() {
    assertThatThrownBy(() -> new SigV4Verifier(k -> Optional.empty(), " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("region");
  }

  @Test
  void parseAmzDate_readsExactlyWhatTheStrictFormatterReads() {
    Random random = new Random(21);
    for (int i = 0; i < 2000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L)); // 1970..2100
      String text = SigV4Verifier.AMZ_DATE.format(t);
      assertThat(SigV4Verifier.parseAmzDate(text)).as(text).isEqualTo(t);
    }
    assertThat(SigV4Verifier.parseAmzDate("20280229T235959Z"))
        .isEqualTo(Instant.parse("2028-02-29T23:59:59Z"));
    for (String bad :
        List.of(
            "20260230T120000Z", // February 30
            "20270229T120000Z", // not a leap year
            "20261206T240000Z",
            "20261206T126000Z",
            "20261306T120000Z",
            "20261206 120000Z",
            "20261206T120000",
            "20261206T1200000Z",
            "2026120６T120000Z", // a digit, but not an ASCII one
            "+0261206T120000Z",
            "")) {
      assertThat(SigV4Verifier.parseAmzDate(bad)).as(bad).isNull();
    }
  }
}
