package fr.coffre.s3.auth;

import static fr.coffre.s3.auth.TestRequest.AKID;
import static fr.coffre.s3.auth.TestRequest.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.auth.Authentication.Scheme;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The examples of "Signing and Authenticating REST Requests" (S3 developer guide, Signature Version
 * 2), with their published signatures. The guide's current text renamed the bucket {@code
 * johnsmith} to {@code awsexamplebucket1} but kept the signatures computed for {@code johnsmith}
 * (checked with {@code openssl dgst -sha1 -hmac}): these tests use the original bucket name, for
 * which the published signatures hold.
 */
class SigV2VerifierTest {
  private static final String DOMAIN = "s3.amazonaws.com";
  private static final Optional<String> KNOWN = Optional.of(SECRET);

  private final SigV2Verifier verifier =
      new SigV2Verifier(k -> k.equals(AKID) ? KNOWN : Optional.empty(), DOMAIN);
  private final SignatureVerifier both =
      new SignatureVerifier(
          new SigV4Verifier(k -> k.equals(AKID) ? KNOWN : Optional.empty()), verifier);
  private final SignatureVerifier v4Only =
      SignatureVerifier.v4Only(new SigV4Verifier(k -> k.equals(AKID) ? KNOWN : Optional.empty()));

  private static Instant at(String httpDate) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.parse(httpDate, Instant::from);
  }

  private static String auth(String signature) {
    return "AWS " + AKID + ":" + signature;
  }

  private static TestRequest getPuppy(String signature) {
    return TestRequest.of("GET", "/photos/puppy.jpg")
        .header("Host", "johnsmith.s3.amazonaws.com")
        .header("Date", "Tue, 27 Mar 2007 19:36:42 +0000")
        .header("Authorization", auth(signature));
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

  @Test
  void verify_docsObjectGet_virtualHosted_authenticatesWithUnsignedPayload() {
    SigV4Request request = getPuppy("bWq2s1WEIj+Ydj0vQ697zp+IXMU=").build();

    assertThat(both.verify(request, at("Tue, 27 Mar 2007 19:40:00 +0000")))
        .isEqualTo(
            new Authentication(AKID, Scheme.HEADER_V2, PayloadMode.UNSIGNED_PAYLOAD, null, null));
  }

  @Test
  void verify_docsObjectPut_signsTheContentType() {
    SigV4Request request =
        TestRequest.of("PUT", "/photos/puppy.jpg")
            .header("Content-Type", "image/jpeg")
            .header("Content-Length", "94328")
            .header("Host", "johnsmith.s3.amazonaws.com")
            .header("Date", "Tue, 27 Mar 2007 21:15:45 +0000")
            .header("Authorization", auth("MyyxeRY7whkBe+bq8fHCL/2kKUg="))
            .build();

    assertThat(verifier.verify(request, at("Tue, 27 Mar 2007 21:15:45 +0000")).accessKey())
        .isEqualTo(AKID);
  }

  @Test
  void verify_docsList_leavesListingParametersOutOfTheResource() {
    SigV4Request request =
        TestRequest.of("GET", "/")
            .query("prefix=photos&max-keys=50&marker=puppy")
            .header("User-Agent", "Mozilla/5.0")
            .header("Host", "johnsmith.s3.amazonaws.com")
            .header("Date", "Tue, 27 Mar 2007 19:42:41 +0000")
            .header("Authorization", auth("htDYFYduRNen8P9ZfE/s9SuKy0U="))
            .build();

    assertThat(verifier.verify(request, at("Tue, 27 Mar 2007 19:42:41 +0000")).accessKey())
        .isEqualTo(AKID);
  }

  @Test
  void verify_docsFetchAcl_signsTheSubresource() {
    SigV4Request request =
        TestRequest.of("GET", "/")
            .query("acl")
            .header("Host", "johnsmith.s3.amazonaws.com")
            .header("Date", "Tue, 27 Mar 2007 19:44:46 +0000")
            .header("Authorization", auth("c2WLPFtWHVgbEmeEG93a4cG37dM="))
            .build();

    assertThat(verifier.verify(request, at("Tue, 27 Mar 2007 19:44:46 +0000")).accessKey())
        .isEqualTo(AKID);
  }

  @Test
  void verify_docsDelete_pathStyleWithXAmzDate_signsAnEmptyDateLine() {
    SigV4Request request =
        TestRequest.of("DELETE", "/johnsmith/photos/puppy.jpg")
            .header("User-Agent", "dotnet")
            .header("Host", "s3.amazonaws.com")
            .header("Date", "Tue, 27 Mar 2007 21:20:27 +0000")
            .header("x-amz-date", "Tue, 27 Mar 2007 21:20:26 +0000")
            .header("Authorization", auth("lx3byBScXR6KzyMaifNkardMwNk="))
            .build();

    assertThat(verifier.verify(request, at("Tue, 27 Mar 2007 21:20:27 +0000")).accessKey())
        .isEqualTo(AKID);
  }

  @Test
  void verify_xAmzDateAmongAmzHeaders_signsAnEmptyDateLine() {
    String stringToSign =
        "DELETE\n\n\n\nx-amz-date:Tue, 27 Mar 2007 21:20:26 +0000\n/johnsmith/photos/puppy.jpg";
    SigV4Request request =
        TestRequest.of("DELETE", "/johnsmith/photos/puppy.jpg")
            .header("Host", "s3.amazonaws.com")
            .header("x-amz-date", "Tue, 27 Mar 2007 21:20:26 +0000")
            .header("Authorization", auth(SigV2Verifier.hmacSha1Base64(SECRET, stringToSign)))
            .build();

    assertThat(verifier.verify(request, at("Tue, 27 Mar 2007 21:20:27 +0000")).accessKey())
        .isEqualTo(AKID);
  }

  /** The guide's CNAME-addressed upload, sent path style: the same canonical resource. */
  @Test
  void verify_docsUploadWithMetadata_sortsTrimsAndJoinsAmzHeaders() {
    SigV4Request request =
        TestRequest.of("PUT", "/static.johnsmith.net/db-backup.dat.gz")
            .header("User-Agent", "curl/7.15.5")
            .header("Host", "s3.amazonaws.com")
            .header("Date", "Tue, 27 Mar 2007 21:06:08 +0000")
            .header("x-amz-acl", "public-read")
            .header("content-type", "application/x-download")
            .header("Content-MD5", "4gJE4saaMU4BqNR0kLY+lw==")
            .header("X-Amz-Meta-ReviewedBy", "joe@johnsmith.net")
            .header("X-Amz-Meta-ReviewedBy", "jane@johnsmith.net")
            .header("X-Amz-Meta-FileChecksum", "0x02661779")
            .header("X-Amz-Meta-ChecksumAlgorithm", "crc32")
            .header("Content-Disposition", "attachment; filename=database.dat")
            .header("Content-Encoding", "gzip")
            .header("Content-Length", "5913339")
            .header("Authorization", auth("ilyl83RwaSoYIEdixDQcA4OnAnc="))
            .build();

    assertThat(verifier.verify(request, at("Tue, 27 Mar 2007 21:06:08 +0000")).accessKey())
        .isEqualTo(AKID);
  }

  @Test
  void verify_docsListAllMyBuckets_signsTheRoot() {
    SigV4Request request =
        TestRequest.of("GET", "/")
            .header("Host", "s3.amazonaws.com")
            .header("Date", "Wed, 28 Mar 2007 01:29:59 +0000")
            .header("Authorization", auth("qGdzdERIC03wnaRNKh6OqZehG9s="))
            .build();

    assertThat(verifier.verify(request, at("Wed, 28 Mar 2007 01:29:59 +0000")).accessKey())
        .isEqualTo(AKID);
  }

  @Test
  void verify_docsUnicodeKeys_signsThePathAsSent() {
    SigV4Request request =
        TestRequest.of("GET", "/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re")
            .header("Host", "s3.amazonaws.com")
            .header("Date", "Wed, 28 Mar 2007 01:49:49 +0000")
            .header("Authorization", auth("DNEZGsoieTZ92F3bUfSPQcbGmlM="))
            .build();

    assertThat(verifier.verify(request, at("Wed, 28 Mar 2007 01:49:49 +0000")).accessKey())
        .isEqualTo(AKID);
  }

  private static SigV4Request docsPresigned(String signature) {
    return TestRequest.of("GET", "/photos/puppy.jpg")
        .query("AWSAccessKeyId=" + AKID + "&Signature=" + signature + "&Expires=1175139620")
        .header("Host", "johnsmith.s3.amazonaws.com")
        .build();
  }

  @Test
  void verify_docsQueryStringAuthentication_signsExpiresInPlaceOfDate() {
    Instant before = Instant.ofEpochSecond(1175139620L - 3600);

    assertThat(both.verify(docsPresigned("NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D"), before))
        .isEqualTo(
            new Authentication(
                AKID, Scheme.PRESIGNED_V2, PayloadMode.UNSIGNED_PAYLOAD, null, null));
  }

  @Test
  void verify_presignedWithUnescapedPlus_readsThePlusBack() {
    Instant before = Instant.ofEpochSecond(1175139620L - 3600);

    assertThat(verifier.verify(docsPresigned("NpgCjnDzrM+WFzoENXmpNDUsSn8="), before).scheme())
        .isEqualTo(Scheme.PRESIGNED_V2);
  }

  // ---------------------------------------------------------------- refusals

  @Test
  void verify_presignedAfterExpires_isAccessDeniedRequestHasExpired() {
    assertS3Error(
        () ->
            verifier.verify(
                docsPresigned("NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D"),
                Instant.ofEpochSecond(1175139621L)),
        S3Error.ACCESS_DENIED,
        "Request has expired",
        e -> assertThat(e.details()).containsEntry("Expires", "2007-03-29T03:40:20Z"));
  }

  @Test
  void verify_presignedWithoutExpires_isAccessDenied() {
    SigV4Request request =
        TestRequest.of("GET", "/photos/puppy.jpg")
            .query("AWSAccessKeyId=" + AKID + "&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D")
            .header("Host", "johnsmith.s3.amazonaws.com")
            .build();

    assertS3Error(
        () -> verifier.verify(request, Instant.ofEpochSecond(1175139000L)),
        S3Error.ACCESS_DENIED,
        "Query-string authentication requires the Signature, Expires and AWSAccessKeyId"
            + " parameters",
        e -> {});
  }

  @Test
  void verify_tamperedSignature_isSignatureDoesNotMatchWithTheStringToSign() {
    SigV4Request request = getPuppy("bWq2s1WEIj+Ydj0vQ697zp+IXMV=").build();

    assertS3Error(
        () -> both.verify(request, at("Tue, 27 Mar 2007 19:36:42 +0000")),
        S3Error.SIGNATURE_DOES_NOT_MATCH,
        null,
        e -> {
          assertThat(e.details())
              .containsEntry("AWSAccessKeyId", AKID)
              .containsEntry(
                  "StringToSign",
                  "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg")
              .containsEntry("SignatureProvided", "bWq2s1WEIj+Ydj0vQ697zp+IXMV=");
          assertThat(e.details().values()).noneMatch(v -> v.contains(SECRET));
        });
  }

  @Test
  void verify_signatureOfAnotherSubresource_isSignatureDoesNotMatch() {
    // The ACL example's signature does not hold for the bucket listing.
    SigV4Request request =
        TestRequest.of("GET", "/")
            .query("policy")
            .header("Host", "johnsmith.s3.amazonaws.com")
            .header("Date", "Tue, 27 Mar 2007 19:44:46 +0000")
            .header("Authorization", auth("c2WLPFtWHVgbEmeEG93a4cG37dM="))
            .build();

    assertS3Error(
        () -> verifier.verify(request, at("Tue, 27 Mar 2007 19:44:46 +0000")),
        S3Error.SIGNATURE_DOES_NOT_MATCH,
        null,
        e -> assertThat(e.details().get("StringToSign")).endsWith("/johnsmith/?policy"));
  }

  @Test
  void verify_unknownAccessKey_isInvalidAccessKeyId() {
    SigV2Verifier nobody = new SigV2Verifier(k -> Optional.empty(), DOMAIN);

    assertS3Error(
        () ->
            nobody.verify(
                getPuppy("bWq2s1WEIj+Ydj0vQ697zp+IXMU=").build(),
                at("Tue, 27 Mar 2007 19:36:42 +0000")),
        S3Error.INVALID_ACCESS_KEY_ID,
        null,
        e -> assertThat(e.details()).containsEntry("AWSAccessKeyId", AKID));
  }

  @Test
  void verify_dateSixteenMinutesOff_isRequestTimeTooSkewed() {
    assertS3Error(
        () ->
            verifier.verify(
                getPuppy("bWq2s1WEIj+Ydj0vQ697zp+IXMU=").build(),
                at("Tue, 27 Mar 2007 19:52:43 +0000")),
        S3Error.REQUEST_TIME_TOO_SKEWED,
        null,
        e -> assertThat(e.details()).containsEntry("MaxAllowedSkewMilliseconds", "900000"));
  }

  @Test
  void parseDate_ignoresAWrongDayName_refusesBefore1970AndGarbage() {
    // 7 July 2010 was a Wednesday: the date is still read, so a skewed clock is told so.
    assertThat(SigV2Verifier.parseDate("Tue, 07 Jul 2010 21:53:04 GMT"))
        .isEqualTo(Instant.parse("2010-07-07T21:53:04Z"));
    assertThat(SigV2Verifier.parseDate("Tue, 07 Jul 9999 21:53:04 GMT"))
        .isEqualTo(Instant.parse("9999-07-07T21:53:04Z"));
    assertThat(SigV2Verifier.parseDate("Tue, 27 Mar 2007 19:36:42 +0000"))
        .isEqualTo(Instant.parse("2007-03-27T19:36:42Z"));
    assertThat(SigV2Verifier.parseDate("27 Mar 2007 19:36:42 GMT"))
        .isEqualTo(Instant.parse("2007-03-27T19:36:42Z"));
    assertThat(SigV2Verifier.parseDate("Tue, 07 Jul 1950 21:53:04 GMT")).isNull();
    assertThat(SigV2Verifier.parseDate("Bad Date")).isNull();
    assertThat(SigV2Verifier.parseDate("")).isNull();
  }

  @Test
  void verify_dateYearsOff_withAWrongDayName_isRequestTimeTooSkewed() {
    assertS3Error(
        () ->
            verifier.verify(
                getPuppy("bWq2s1WEIj+Ydj0vQ697zp+IXMU=")
                    .header("x-amz-date", "Tue, 07 Jul 2010 21:53:04 GMT")
                    .build(),
                at("Tue, 27 Mar 2007 19:36:42 +0000")),
        S3Error.REQUEST_TIME_TOO_SKEWED,
        null,
        e -> assertThat(e.details()).containsEntry("RequestTime", "Tue, 07 Jul 2010 21:53:04 GMT"));
  }

  @Test
  void verify_noDate_isAccessDenied() {
    SigV4Request request =
        TestRequest.of("GET", "/photos/puppy.jpg")
            .header("Host", "johnsmith.s3.amazonaws.com")
            .header("Authorization", auth("bWq2s1WEIj+Ydj0vQ697zp+IXMU="))
            .build();

    assertS3Error(
        () -> verifier.verify(request, at("Tue, 27 Mar 2007 19:36:42 +0000")),
        S3Error.ACCESS_DENIED,
        "AWS authentication requires a valid Date or x-amz-date header",
        e -> {});
  }

  @Test
  void verify_headerWithoutColon_isInvalidArgument() {
    SigV4Request request =
        TestRequest.of("GET", "/photos/puppy.jpg")
            .header("Host", "johnsmith.s3.amazonaws.com")
            .header("Date", "Tue, 27 Mar 2007 19:36:42 +0000")
            .header("Authorization", "AWS " + AKID)
            .build();

    assertS3Error(
        () -> verifier.verify(request, at("Tue, 27 Mar 2007 19:36:42 +0000")),
        S3Error.INVALID_ARGUMENT,
        "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature",
        e -> {});
  }

  @Test
  void verify_signedAwsChunkedPayload_isInvalidRequest() {
    String date = "Tue, 27 Mar 2007 19:36:42 +0000";
    String mode = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    String signature =
        SigV2Verifier.hmacSha1Base64(
            SECRET,
            "PUT\n\n\n"
                + date
                + "\nx-amz-content-sha256:"
                + mode
                + "\n/johnsmith/photos/puppy.jpg");
    SigV4Request request =
        TestRequest.of("PUT", "/photos/puppy.jpg")
            .header("Host", "johnsmith.s3.amazonaws.com")
            .header("Date", date)
            .header("x-amz-content-sha256", mode)
            .header("Authorization", auth(signature))
            .build();

    assertS3Error(
        () -> verifier.verify(request, at(date)),
        S3Error.INVALID_REQUEST,
        null,
        e -> assertThat(e.getMessage()).contains("needs AWS Signature Version 4"));
  }

  // ---------------------------------------------------------------- the dispatcher

  @Test
  void verify_v2TurnedOff_isRefusedAskingForV4() {
    assertS3Error(
        () ->
            v4Only.verify(
                getPuppy("bWq2s1WEIj+Ydj0vQ697zp+IXMU=").build(),
                at("Tue, 27 Mar 2007 19:36:42 +0000")),
        S3Error.INVALID_REQUEST,
        "The authorization mechanism you have provided is not supported. Please use"
            + " AWS4-HMAC-SHA256.",
        e -> {});
    assertS3Error(
        () ->
            v4Only.verify(
                docsPresigned("NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D"),
                Instant.ofEpochSecond(1175139000L)),
        S3Error.INVALID_REQUEST,
        null,
        e -> {});
  }

  @Test
  void verify_v2HeaderWithV4QueryParameters_isOnlyOneMechanism() {
    SigV4Request request =
        getPuppy("bWq2s1WEIj+Ydj0vQ697zp+IXMU=").query("X-Amz-Credential=x").build();

    assertS3Error(
        () -> both.verify(request, at("Tue, 27 Mar 2007 19:36:42 +0000")),
        S3Error.INVALID_ARGUMENT,
        null,
        e -> assertThat(e.getMessage()).startsWith("Only one auth mechanism allowed"));
  }

  @Test
  void verify_unsignedRequest_staysAnonymous() {
    SigV4Request request =
        TestRequest.of("GET", "/photos/puppy.jpg")
            .header("Host", "johnsmith.s3.amazonaws.com")
            .build();

    assertThat(both.verify(request, Instant.EPOCH).isAnonymous()).isTrue();
  }

  // ---------------------------------------------------------------- canonicalization

  @Test
  void subresources_keepsSignedOnesSortedWithDecodedValues() {
    String query =
        "uploadId=abc&prefix=x&partNumber=2&response-content-type=text%2Fplain&acl&max-keys=3";

    assertThat(CanonicalResource.subresources(CanonicalRequest.parseQuery(query)))
        .isEqualTo("?acl&partNumber=2&response-content-type=text/plain&uploadId=abc");
  }

  @Test
  void amzHeaders_lowerCasesUnfoldsAndJoins() {
    SigV4Request request =
        TestRequest.of("PUT", "/b/k")
            .header("X-Amz-Meta-B", "  two\r\n   lines ")
            .header("x-amz-meta-a", "1")
            .header("x-amz-meta-a", " 2")
            .header("Content-Type", "text/plain")
            .build();

    assertThat(SigV2Verifier.amzHeaders(request, true))
        .isEqualTo("x-amz-meta-a:1,2\nx-amz-meta-b:two lines\n");
  }

  @Test
  void verify_pathStyleBucketSignedWithATrailingSlash_asBotocoreDoes() {
    String stringToSign = "PUT\n\n\nTue, 27 Mar 2007 21:20:26 +0000\n/johnsmith/";
    SigV4Request request =
        TestRequest.of("PUT", "/johnsmith")
            .header("Host", "s3.amazonaws.com")
            .header("Date", "Tue, 27 Mar 2007 21:20:26 +0000")
            .header("Authorization", auth(SigV2Verifier.hmacSha1Base64(SECRET, stringToSign)))
            .build();

    assertThat(verifier.verify(request, at("Tue, 27 Mar 2007 21:20:27 +0000")).accessKey())
        .isEqualTo(AKID);
    assertThat(CanonicalResource.candidates(request, DOMAIN))
        .containsExactly("/johnsmith", "/johnsmith/");
    // Only a bucket: an object's path gets no second form, and neither does the service root.
    assertThat(
            CanonicalResource.candidates(
                TestRequest.of("GET", "/johnsmith/key").header("Host", "s3.amazonaws.com").build(),
                DOMAIN))
        .doesNotContain("/johnsmith/key/");
    assertThat(
            CanonicalResource.candidates(
                TestRequest.of("GET", "/").header("Host", "s3.amazonaws.com").build(), DOMAIN))
        .containsExactly("/");
  }

  @Test
  void candidates_virtualHostedWithPort_prefixesTheBucket() {
    SigV4Request request =
        TestRequest.of("GET", "/a%20b").header("Host", "Bucket.s3.amazonaws.com:8080").build();

    assertThat(CanonicalResource.candidates(request, DOMAIN)).first().isEqualTo("/bucket/a%20b");
  }
}
