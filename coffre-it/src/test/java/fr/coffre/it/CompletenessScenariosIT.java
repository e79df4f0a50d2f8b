package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * S3 beyond the core, with the AWS SDK v2 and curl against a real server: tagging and its limits,
 * stored checksums (single part, composite and full-object multipart) read back with checksum mode
 * and GetObjectAttributes, conditional completion, CORS preflight, browser POST uploads with signed
 * policies, and the bad inputs that must store nothing.
 */
class CompletenessScenariosIT {
  private static final int MIB = 1024 * 1024;
  private static ServerProcess server;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
    s3 = S3Clients.modern(server.endpoint());
    s3.createBucket(b -> b.bucket("more"));
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  private static int status(Throwable e) {
    return ((S3Exception) e).statusCode();
  }

  private static String code(Throwable e) {
    return ((S3Exception) e).awsErrorDetails().errorCode();
  }

  @Test
  void tagging_objectAndBucket_withLimitsEnforced() {
    s3.putObject(
        b -> b.bucket("more").key("tagged").tagging("team=santé&year=2026"),
        RequestBody.fromString("x"));
    assertThat(s3.getObjectTagging(b -> b.bucket("more").key("tagged")).tagSet())
        .extracting(Tag::key, Tag::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("team", "santé"),
            org.assertj.core.groups.Tuple.tuple("year", "2026"));
    assertThat(s3.headObject(b -> b.bucket("more").key("tagged")).tagCount()).isEqualTo(2);

    List<Tag> eleven = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      eleven.add(Tag.builder().key("k" + i).value("v").build());
    }
    assertThatThrownBy(
            () ->
                s3.putObjectTagging(
                    b -> b.bucket("more").key("tagged").tagging(t -> t.tagSet(eleven))))
        .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidTag"));
    assertThatThrownBy(
            () ->
                s3.putObjectTagging(
                    b ->
                        b.bucket("more")
                            .key("tagged")
                            .tagging(
                                t ->
                                    t.tagSet(
                                        Tag.builder().key("k".repeat(129)).value("v").build()))))
        .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidTag"));
    assertThat(s3.getObjectTagging(b -> b.bucket("more").key("tagged")).tagSet()).hasSize(2);

    s3.putObjectTagging(
        b -> b.bucket("more").key("tagged").tagging(t -> t.tagSet(eleven.subList(0, 10))));
    assertThat(s3.getObjectTagging(b -> b.bucket("more").key("tagged")).tagSet()).hasSize(10);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("more").key("tagged")).asUtf8String())
        .isEqualTo("x");

    s3.copyObject(
        b ->
            b.sourceBucket("more")
                .sourceKey("tagged")
                .destinationBucket("more")
                .destinationKey("copy-keeps"));
    assertThat(s3.getObjectTagging(b -> b.bucket("more").key("copy-keeps")).tagSet()).hasSize(10);
    s3.copyObject(
        b ->
            b.sourceBucket("more")
                .sourceKey("tagged")
                .destinationBucket("more")
                .destinationKey("copy-replaces")
                .taggingDirective(TaggingDirective.REPLACE)
                .tagging("only=one"));
    assertThat(s3.getObjectTagging(b -> b.bucket("more").key("copy-replaces")).tagSet())
        .extracting(Tag::key)
        .containsExactly("only");

    s3.deleteObjectTagging(b -> b.bucket("more").key("tagged"));
    assertThat(s3.getObjectTagging(b -> b.bucket("more").key("tagged")).tagSet()).isEmpty();

    assertThatThrownBy(() -> s3.getBucketTagging(b -> b.bucket("more")))
        .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchTagSet"));
    s3.putBucketTagging(
        b ->
            b.bucket("more")
                .tagging(t -> t.tagSet(Tag.builder().key("service").value("dpo").build())));
    assertThat(s3.getBucketTagging(b -> b.bucket("more")).tagSet())
        .extracting(Tag::value)
        .containsExactly("dpo");
    s3.deleteBucketTagging(b -> b.bucket("more"));
    assertThatThrownBy(() -> s3.getBucketTagging(b -> b.bucket("more")))
        .satisfies(e -> assertThat(status(e)).isEqualTo(404));
  }

  @Test
  void checksum_singlePart_isStoredAndReturnedInChecksumMode() {
    s3.putObject(
        b -> b.bucket("more").key("crc").checksumAlgorithm(ChecksumAlgorithm.CRC32_C),
        RequestBody.fromString("hello"));
    ResponseBytes<GetObjectResponse> got =
        s3.getObjectAsBytes(b -> b.bucket("more").key("crc").checksumMode(ChecksumMode.ENABLED));
    // The SDK validates the returned checksum against the content it read.
    assertThat(got.response().checksumCRC32C())
        .isEqualTo(Base64.getEncoder().encodeToString(crc32c("hello".getBytes())));
    assertThat(got.response().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
    GetObjectAttributesResponse attrs =
        s3.getObjectAttributes(
            b ->
                b.bucket("more")
                    .key("crc")
                    .objectAttributes(
                        ObjectAttributes.CHECKSUM,
                        ObjectAttributes.OBJECT_SIZE,
                        ObjectAttributes.E_TAG));
    assertThat(attrs.checksum().checksumCRC32C()).isEqualTo(got.response().checksumCRC32C());
    assertThat(attrs.objectSize()).isEqualTo(5L);
  }

  private static byte[] crc32c(byte[] data) {
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(data);
    return java.nio.ByteBuffer.allocate(4).putInt((int) c.getValue()).array();
  }

  @Test
  void checksum_multipartCompositeAndFullObject_asTheSdkComputesThem() {
    byte[] part1 = random(5 * MIB, 1);
    byte[] part2 = random(1 * MIB + 17, 2);
    for (ChecksumType type : List.of(ChecksumType.COMPOSITE, ChecksumType.FULL_OBJECT)) {
      ChecksumAlgorithm algorithm =
          type == ChecksumType.COMPOSITE ? ChecksumAlgorithm.SHA256 : ChecksumAlgorithm.CRC64_NVME;
      String key = "mp-" + type;
      String id =
          s3.createMultipartUpload(
                  b -> b.bucket("more").key(key).checksumAlgorithm(algorithm).checksumType(type))
              .uploadId();
      UploadPartResponse r1 =
          s3.uploadPart(
              b ->
                  b.bucket("more").key(key).uploadId(id).partNumber(1).checksumAlgorithm(algorithm),
              RequestBody.fromBytes(part1));
      UploadPartResponse r2 =
          s3.uploadPart(
              b ->
                  b.bucket("more").key(key).uploadId(id).partNumber(2).checksumAlgorithm(algorithm),
              RequestBody.fromBytes(part2));
      var done =
          s3.completeMultipartUpload(
              b ->
                  b.bucket("more")
                      .key(key)
                      .uploadId(id)
                      .multipartUpload(
                          m ->
                              m.parts(
                                  CompletedPart.builder()
                                      .partNumber(1)
                                      .eTag(r1.eTag())
                                      .checksumSHA256(r1.checksumSHA256())
                                      .checksumCRC64NVME(r1.checksumCRC64NVME())
                                      .build(),
                                  CompletedPart.builder()
                                      .partNumber(2)
                                      .eTag(r2.eTag())
                                      .checksumSHA256(r2.checksumSHA256())
                                      .checksumCRC64NVME(r2.checksumCRC64NVME())
                                      .build())));
      ResponseBytes<GetObjectResponse> got =
          s3.getObjectAsBytes(b -> b.bucket("more").key(key).checksumMode(ChecksumMode.ENABLED));
      assertThat(got.asByteArray()).hasSize(part1.length + part2.length);
      if (type == ChecksumType.COMPOSITE) {
        assertThat(done.checksumSHA256()).endsWith("-2");
        assertThat(got.response().checksumSHA256()).isEqualTo(done.checksumSHA256());
      } else {
        byte[] whole = new byte[part1.length + part2.length];
        System.arraycopy(part1, 0, whole, 0, part1.length);
        System.arraycopy(part2, 0, whole, part1.length, part2.length);
        // The full-object CRC is combined from the parts' CRCs; compare with the SDK's own
        // CRC64NVME of the whole.
        String expected =
            s3.putObject(
                    b ->
                        b.bucket("more")
                            .key("whole")
                            .checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME),
                    RequestBody.fromBytes(whole))
                .checksumCRC64NVME();
        assertThat(done.checksumCRC64NVME()).isEqualTo(expected);
        assertThat(got.response().checksumCRC64NVME()).isEqualTo(expected);
      }
      GetObjectAttributesResponse attrs =
          s3.getObjectAttributes(
              b ->
                  b.bucket("more")
                      .key(key)
                      .objectAttributes(ObjectAttributes.OBJECT_PARTS, ObjectAttributes.CHECKSUM));
      assertThat(attrs.objectParts().totalPartsCount()).isEqualTo(2);
      assertThat(attrs.objectParts().parts())
          .extracting(p -> p.size())
          .containsExactly((long) part1.length, (long) part2.length);
      // GetObject by part number answers with the part's bytes.
      ResponseBytes<GetObjectResponse> second =
          s3.getObjectAsBytes(b -> b.bucket("more").key(key).partNumber(2));
      assertThat(second.asByteArray()).isEqualTo(part2);
      assertThat(second.response().partsCount()).isEqualTo(2);
    }
  }

  @Test
  void complete_badPartLists_andConditions_storeNothing() {
    String id = s3.createMultipartUpload(b -> b.bucket("more").key("bad")).uploadId();
    String e1 =
        s3.uploadPart(
                b -> b.bucket("more").key("bad").uploadId(id).partNumber(1),
                RequestBody.fromBytes(random(5 * MIB, 3)))
            .eTag();
    String e2 =
        s3.uploadPart(
                b -> b.bucket("more").key("bad").uploadId(id).partNumber(2),
                RequestBody.fromString("end"))
            .eTag();
    CompletedPart p1 = CompletedPart.builder().partNumber(1).eTag(e1).build();
    CompletedPart p2 = CompletedPart.builder().partNumber(2).eTag(e2).build();
    assertThatThrownBy(
            () ->
                s3.completeMultipartUpload(
                    b ->
                        b.bucket("more")
                            .key("bad")
                            .uploadId(id)
                            .multipartUpload(m -> m.parts(p2, p1))))
        .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidPartOrder"));
    assertThatThrownBy(
            () ->
                s3.completeMultipartUpload(
                    b ->
                        b.bucket("more")
                            .key("bad")
                            .uploadId(id)
                            .multipartUpload(
                                m ->
                                    m.parts(
                                        p1,
                                        CompletedPart.builder().partNumber(2).eTag(e1).build()))))
        .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidPart"));
    assertThatThrownBy(
            () ->
                s3.completeMultipartUpload(
                    b ->
                        b.bucket("more")
                            .key("bad")
                            .uploadId(id)
                            .multipartUpload(
                                m ->
                                    m.parts(
                                        p1,
                                        CompletedPart.builder().partNumber(3).eTag(e2).build()))))
        .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidPart"));
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("more").key("bad")))
        .satisfies(e -> assertThat(status(e)).isEqualTo(404));

    s3.putObject(b -> b.bucket("more").key("bad"), RequestBody.fromString("already here"));
    assertThatThrownBy(
            () ->
                s3.completeMultipartUpload(
                    b ->
                        b.bucket("more")
                            .key("bad")
                            .uploadId(id)
                            .ifNoneMatch("*")
                            .multipartUpload(m -> m.parts(p1, p2))))
        .satisfies(e -> assertThat(status(e)).isEqualTo(412));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("more").key("bad")).asUtf8String())
        .isEqualTo("already here");

    s3.abortMultipartUpload(b -> b.bucket("more").key("bad").uploadId(id));
    assertThatThrownBy(
            () ->
                s3.completeMultipartUpload(
                    b ->
                        b.bucket("more")
                            .key("bad")
                            .uploadId(id)
                            .multipartUpload(m -> m.parts(p1, p2))))
        .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchUpload"));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("more").key("bad")).asUtf8String())
        .isEqualTo("already here");
  }

  @Test
  void conditionalWrites_racingCreators_exactlyOneWins() throws Exception {
    int writers = 6;
    var start = new java.util.concurrent.CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < writers; i++) {
      int n = i;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      start.await();
                      s3.putObject(
                          b -> b.bucket("more").key("race").ifNoneMatch("*"),
                          RequestBody.fromString("writer " + n));
                      statuses.add(200);
                    } catch (S3Exception e) {
                      statuses.add(e.statusCode());
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(statuses).hasSize(writers);
    assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
    assertThat(statuses.stream().filter(s -> s == 412 || s == 409).count()).isEqualTo(writers - 1);
    String winner = s3.getObjectAsBytes(b -> b.bucket("more").key("race")).asUtf8String();
    String etag = s3.headObject(b -> b.bucket("more").key("race")).eTag();
    // Compare-and-swap: only a writer holding the current ETag replaces it.
    assertThatThrownBy(
            () ->
                s3.putObject(
                    b ->
                        b.bucket("more")
                            .key("race")
                            .ifMatch("\"00000000000000000000000000000000\""),
                    RequestBody.fromString("stale")))
        .satisfies(e -> assertThat(status(e)).isEqualTo(412));
    s3.putObject(b -> b.bucket("more").key("race").ifMatch(etag), RequestBody.fromString("next"));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("more").key("race")).asUtf8String())
        .isNotEqualTo(winner)
        .isEqualTo("next");
  }

  @Test
  void complete_retried_answersTheSameSuccess_untilTheKeyChanges() {
    String id = s3.createMultipartUpload(b -> b.bucket("more").key("retried")).uploadId();
    String e1 =
        s3.uploadPart(
                b -> b.bucket("more").key("retried").uploadId(id).partNumber(1),
                RequestBody.fromString("one part"))
            .eTag();
    var parts = CompletedPart.builder().partNumber(1).eTag(e1).build();
    String first =
        s3.completeMultipartUpload(
                b ->
                    b.bucket("more")
                        .key("retried")
                        .uploadId(id)
                        .multipartUpload(m -> m.parts(parts)))
            .eTag();
    String again =
        s3.completeMultipartUpload(
                b ->
                    b.bucket("more")
                        .key("retried")
                        .uploadId(id)
                        .multipartUpload(m -> m.parts(parts)))
            .eTag();
    assertThat(again).isEqualTo(first);
    s3.putObject(b -> b.bucket("more").key("retried"), RequestBody.fromString("overwritten"));
    assertThatThrownBy(
            () ->
                s3.completeMultipartUpload(
                    b ->
                        b.bucket("more")
                            .key("retried")
                            .uploadId(id)
                            .multipartUpload(m -> m.parts(parts))))
        .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchUpload"));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("more").key("retried")).asUtf8String())
        .isEqualTo("overwritten");
  }

  @Test
  void cors_preflightWithCurl_isAnsweredFromTheBucketRules() throws Exception {
    s3.createBucket(b -> b.bucket("web"));
    String url = server.endpoint() + "/web/upload.bin";
    assertThat(
            curl(
                "-X",
                "OPTIONS",
                url,
                "-H",
                "Origin: https://app.example",
                "-H",
                "Access-Control-Request-Method: PUT"))
        .startsWith("HTTP/1.1 403");
    CORSRule rule =
        CORSRule.builder()
            .allowedOrigins("https://app.example")
            .allowedMethods("PUT", "GET")
            .allowedHeaders("*")
            .exposeHeaders("ETag")
            .maxAgeSeconds(600)
            .build();
    s3.putBucketCors(b -> b.bucket("web").corsConfiguration(c -> c.corsRules(rule)));
    String ok =
        curl(
            "-X",
            "OPTIONS",
            url,
            "-H",
            "Origin: https://app.example",
            "-H",
            "Access-Control-Request-Method: PUT",
            "-H",
            "Access-Control-Request-Headers: content-type,x-amz-date");
    assertThat(ok)
        .startsWith("HTTP/1.1 200")
        .containsIgnoringCase("Access-Control-Allow-Origin: https://app.example")
        .containsIgnoringCase("Access-Control-Allow-Methods: PUT, GET")
        .containsIgnoringCase("Access-Control-Allow-Headers: content-type, x-amz-date")
        .containsIgnoringCase("Access-Control-Max-Age: 600");
    assertThat(
            curl(
                "-X",
                "OPTIONS",
                url,
                "-H",
                "Origin: https://evil.example",
                "-H",
                "Access-Control-Request-Method: PUT"))
        .startsWith("HTTP/1.1 403");
    assertThat(
            curl(
                "-X",
                "OPTIONS",
                url,
                "-H",
                "Origin: https://app.example",
                "-H",
                "Access-Control-Request-Method: DELETE"))
        .startsWith("HTTP/1.1 403");
    assertThat(s3.getBucketCors(b -> b.bucket("web")).corsRules()).hasSize(1);
    s3.deleteBucketCors(b -> b.bucket("web"));
    assertThatThrownBy(() -> s3.getBucketCors(b -> b.bucket("web")))
        .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchCORSConfiguration"));
  }

  @Test
  void postUpload_withCurl_signedPolicyStoresAndBadPoliciesStoreNothing() throws Exception {
    s3.createBucket(b -> b.bucket("forms"));
    Path file = Files.createTempFile("form", ".txt");
    Files.writeString(file, "uploaded by a browser form");
    Instant now = Instant.now();
    String good = policy(now.plus(10, ChronoUnit.MINUTES), "user/", 0, 1000);
    String url = server.endpoint() + "/forms";

    String created = curl(form(url, good, sign(good, now), now, "user/${filename}", "201", file));
    assertThat(created)
        .startsWith("HTTP/1.1 201")
        .contains("<Key>user/" + file.getFileName() + "</Key>");
    assertThat(
            s3.getObjectAsBytes(b -> b.bucket("forms").key("user/" + file.getFileName()))
                .asUtf8String())
        .isEqualTo("uploaded by a browser form");
    // The audit record names the form's signer and the key it got, not "anonymous" on the bucket.
    String trail = server.admin("GET", "audit/default", null).body();
    assertThat(
            trail
                .lines()
                .filter(
                    l ->
                        l.contains("\"operation\":\"PostObject\"") && l.contains("\"status\":201")))
        .singleElement()
        .asString()
        .contains("\"key\":\"user/" + file.getFileName() + "\"")
        .contains("\"type\":\"root\"")
        .contains(ServerProcess.ACCESS_KEY);

    String expired = policy(now.minus(1, ChronoUnit.MINUTES), "user/", 0, 1000);
    assertThat(curl(form(url, expired, sign(expired, now), now, "user/expired", "201", file)))
        .startsWith("HTTP/1.1 403");
    String tampered = policy(now.plus(10, ChronoUnit.MINUTES), "", 0, 1000);
    assertThat(curl(form(url, tampered, sign(good, now), now, "user/tampered", "201", file)))
        .startsWith("HTTP/1.1 403")
        .contains("SignatureDoesNotMatch");
    assertThat(curl(form(url, good, sign(good, now), now, "elsewhere/key", "201", file)))
        .startsWith("HTTP/1.1 403");
    String tiny = policy(now.plus(10, ChronoUnit.MINUTES), "user/", 0, 5);
    assertThat(curl(form(url, tiny, sign(tiny, now), now, "user/too-big", "201", file)))
        .startsWith("HTTP/1.1 400")
        .contains("EntityTooLarge");
    assertThat(s3.listObjectsV2(b -> b.bucket("forms")).contents()).hasSize(1);
  }

  private static String policy(Instant expiration, String keyPrefix, long min, long max) {
    String json =
        "{\"expiration\":\""
            + expiration.truncatedTo(ChronoUnit.SECONDS)
            + "\",\"conditions\":["
            + "{\"bucket\":\"forms\"},[\"starts-with\",\"$key\",\""
            + keyPrefix
            + "\"],"
            + "{\"success_action_status\":\"201\"},[\"content-length-range\","
            + min
            + ","
            + max
            + "],"
            + "{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},[\"starts-with\",\"$x-amz-credential\",\"\"],"
            + "[\"starts-with\",\"$x-amz-date\",\"\"]]}";
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String day(Instant t) {
    return DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(t);
  }

  /** SigV4 of a form policy, written out here independently of the server's code. */
  private static String sign(String policy, Instant now) throws Exception {
    byte[] k = hmac(("AWS4" + ServerProcess.SECRET_KEY).getBytes(StandardCharsets.UTF_8), day(now));
    for (String part : List.of("us-east-1", "s3", "aws4_request")) {
      k = hmac(k, part);
    }
    return HexFormat.of().formatHex(hmac(k, policy));
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static String[] form(
      String url,
      String policy,
      String signature,
      Instant now,
      String key,
      String status,
      Path file) {
    String date =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now);
    return new String[] {
      "-X",
      "POST",
      url,
      "-F",
      "key=" + key,
      "-F",
      "success_action_status=" + status,
      "-F",
      "x-amz-algorithm=AWS4-HMAC-SHA256",
      "-F",
      "x-amz-credential="
          + ServerProcess.ACCESS_KEY
          + "/"
          + day(now)
          + "/us-east-1/s3/aws4_request",
      "-F",
      "x-amz-date=" + date,
      "-F",
      "policy=" + policy,
      "-F",
      "x-amz-signature=" + signature,
      "-F",
      "file=@" + file
    };
  }

  /** Runs curl with {@code -s -i} and returns status line, headers and body. */
  private static String curl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-i"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("curl exit; output: %s", out).isZero();
    return out;
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
