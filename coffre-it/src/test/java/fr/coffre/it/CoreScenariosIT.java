package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 core with the real AWS SDK v2 against a real server process: both checksum behaviours
 * (2025 default CRC trailers and the older "when required"), big and empty objects, listing, copy,
 * batch delete, presigned URLs, and errors.
 */
class CoreScenariosIT {
  private static ServerProcess server;
  private static S3Client modern;
  private static S3Client legacy;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
    modern = S3Clients.modern(server.endpoint());
    legacy = S3Clients.legacy(server.endpoint());
    modern.createBucket(b -> b.bucket("core"));
  }

  @AfterAll
  static void stop() throws Exception {
    modern.close();
    legacy.close();
    server.close();
  }

  private static S3Client client(String mode) {
    return mode.equals("modern") ? modern : legacy;
  }

  /** Deterministic pseudo-random content, streamed, so 200 MiB never sits in memory. */
  static InputStream content(long size, long seed) {
    return new InputStream() {
      private final Random random = new Random(seed);
      private long left = size;
      private final byte[] block = new byte[64 * 1024];
      private int pos = block.length;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        if (pos == block.length) {
          random.nextBytes(block);
          pos = 0;
        }
        int n = (int) Math.min(Math.min(len, block.length - pos), left);
        System.arraycopy(block, pos, b, off, n);
        pos += n;
        left -= n;
        return n;
      }
    };
  }

  static String sha256(InputStream in) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (DigestInputStream d = new DigestInputStream(in, md)) {
      d.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @ParameterizedTest
  @ValueSource(strings = {"modern", "legacy"})
  void putGet_emptySmallAndLarge_contentIdentical(String mode) throws Exception {
    S3Client s3 = client(mode);
    for (long size : new long[] {0, 1024, 200L * 1024 * 1024}) {
      String key = mode + "/obj-" + size;
      s3.putObject(
          b -> b.bucket("core").key(key),
          RequestBody.fromContentProvider(
              () -> content(size, size), size, "application/octet-stream"));
      try (ResponseInputStream<GetObjectResponse> got =
          s3.getObject(b -> b.bucket("core").key(key))) {
        assertThat(got.response().contentLength()).isEqualTo(size);
        assertThat(sha256(got))
            .as("sha256 of %d bytes", size)
            .isEqualTo(sha256(content(size, size)));
      }
    }
  }

  @Test
  void put_singlePart_etagIsQuotedMd5AndHeadersRoundTrip() throws Exception {
    byte[] body = "bonjour".getBytes();
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
    var put =
        modern.putObject(
            b ->
                b.bucket("core")
                    .key("h/meta")
                    .contentType("text/plain; charset=utf-8")
                    .contentDisposition("attachment; filename=\"a.txt\"")
                    .contentLanguage("fr")
                    .cacheControl("no-cache")
                    .metadata(Map.of("service", "archives")),
            RequestBody.fromBytes(body));
    assertThat(put.eTag()).isEqualTo("\"" + md5 + "\"");
    var head = modern.headObject(b -> b.bucket("core").key("h/meta"));
    assertThat(head.contentType()).isEqualTo("text/plain; charset=utf-8");
    assertThat(head.contentDisposition()).isEqualTo("attachment; filename=\"a.txt\"");
    assertThat(head.contentLanguage()).isEqualTo("fr");
    assertThat(head.cacheControl()).isEqualTo("no-cache");
    assertThat(head.metadata()).containsEntry("service", "archives");
    var range = modern.getObjectAsBytes(b -> b.bucket("core").key("h/meta").range("bytes=-3"));
    assertThat(range.asUtf8String()).isEqualTo("our");
  }

  @Test
  void list_twoThousandKeys_paginatesWithPrefixAndDelimiter() {
    TreeSet<String> expected = new TreeSet<>();
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int part = t;
      writers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = part; i < 2000; i += 8) {
                      String key = "list/d" + (i % 10) + "/k" + i;
                      modern.putObject(b -> b.bucket("core").key(key), RequestBody.fromString("x"));
                    }
                  }));
    }
    for (int i = 0; i < 2000; i++) {
      expected.add("list/d" + (i % 10) + "/k" + i);
    }
    writers.forEach(
        t -> {
          try {
            t.join();
          } catch (InterruptedException e) {
            throw new RuntimeException(e);
          }
        });
    List<String> keys = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      ListObjectsV2Response page =
          legacy.listObjectsV2(
              b -> b.bucket("core").prefix("list/").maxKeys(137).continuationToken(t));
      page.contents().stream().map(S3Object::key).forEach(keys::add);
      token = page.nextContinuationToken();
    } while (token != null);
    assertThat(keys).containsExactlyElementsOf(expected);
    ListObjectsV2Response top =
        modern.listObjectsV2(b -> b.bucket("core").prefix("list/").delimiter("/").maxKeys(4));
    assertThat(top.commonPrefixes())
        .extracting(CommonPrefix::prefix)
        .containsExactly("list/d0/", "list/d1/", "list/d2/", "list/d3/");
    assertThat(top.isTruncated()).isTrue();
    var v1 = modern.listObjects(b -> b.bucket("core").prefix("list/d3/").marker("list/d3/k983"));
    assertThat(v1.contents()).extracting(S3Object::key).containsExactly("list/d3/k993");
  }

  @Test
  void copyAndBatchDelete_behaveAsS3() {
    modern.createBucket(b -> b.bucket("core-other"));
    modern.putObject(
        b -> b.bucket("core").key("c/src").contentType("image/png").metadata(Map.of("a", "1")),
        RequestBody.fromString("source"));
    modern.copyObject(
        b ->
            b.sourceBucket("core")
                .sourceKey("c/src")
                .destinationBucket("core-other")
                .destinationKey("copied"));
    var copied = modern.headObject(b -> b.bucket("core-other").key("copied"));
    assertThat(copied.contentType()).isEqualTo("image/png");
    assertThat(copied.metadata()).containsEntry("a", "1");
    modern.copyObject(
        b ->
            b.sourceBucket("core")
                .sourceKey("c/src")
                .destinationBucket("core")
                .destinationKey("c/src")
                .metadataDirective(MetadataDirective.REPLACE)
                .contentType("text/plain"));
    assertThat(modern.headObject(b -> b.bucket("core").key("c/src")).contentType())
        .isEqualTo("text/plain");
    assertThatThrownBy(
            () ->
                modern.copyObject(
                    b ->
                        b.sourceBucket("core")
                            .sourceKey("c/src")
                            .destinationBucket("core")
                            .destinationKey("c/src")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest"));
    DeleteObjectsResponse deleted =
        modern.deleteObjects(
            b ->
                b.bucket("core-other")
                    .delete(
                        Delete.builder()
                            .objects(
                                ObjectIdentifier.builder().key("copied").build(),
                                ObjectIdentifier.builder().key("never-was").build())
                            .build()));
    assertThat(deleted.deleted()).hasSize(2);
    assertThat(deleted.errors()).isEmpty();
    modern.deleteBucket(b -> b.bucket("core-other"));
  }

  @Test
  void presignedGet_viaCurl_servesAndExpires() throws Exception {
    modern.putObject(
        b -> b.bucket("core").key("p/shared file+1.txt"), RequestBody.fromString("partagé"));
    try (var presigner = S3Clients.presigner(server.endpoint())) {
      URI good =
          presigner
              .presignGetObject(
                  b ->
                      b.signatureDuration(Duration.ofMinutes(5))
                          .getObjectRequest(g -> g.bucket("core").key("p/shared file+1.txt")))
              .url()
              .toURI();
      assertThat(curl(good)).isEqualTo("200 partagé");
      URI expiring =
          presigner
              .presignGetObject(
                  b ->
                      b.signatureDuration(Duration.ofSeconds(1))
                          .getObjectRequest(g -> g.bucket("core").key("p/shared file+1.txt")))
              .url()
              .toURI();
      Thread.sleep(2100);
      assertThat(curl(expiring)).startsWith("403 ").contains("<Code>AccessDenied</Code>");
    }
  }

  private static String curl(URI uri) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("curl", "-s", "-w", "\n%{http_code}", uri.toString()).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor();
    int nl = out.lastIndexOf('\n');
    return out.substring(nl + 1) + " " + out.substring(0, nl);
  }

  @Test
  void errors_badInput_answerS3CodesAndKeepData() {
    assertThatThrownBy(() -> modern.createBucket(b -> b.bucket("xn--reserved-prefix")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidBucketName"));
    // us-east-1 answers a re-creation of one's own bucket with a success that changes nothing.
    modern.createBucket(b -> b.bucket("core"));
    assertThatThrownBy(
            () -> modern.createBucket(b -> b.bucket("core").objectLockEnabledForBucket(true)))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketAlreadyOwnedByYou"));
    modern.putObject(b -> b.bucket("core").key("e/kept"), RequestBody.fromString("v1"));
    assertThatThrownBy(() -> modern.deleteBucket(b -> b.bucket("core")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty"));
    String longKey = "k".repeat(1025);
    assertThatThrownBy(
            () -> modern.putObject(b -> b.bucket("core").key(longKey), RequestBody.fromString("x")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("KeyTooLongError"));
    try (S3Client wrong =
        S3Clients.withKeys(server.endpoint(), ServerProcess.ACCESS_KEY, "not-the-secret")) {
      assertThatThrownBy(
              () ->
                  wrong.putObject(
                      b -> b.bucket("core").key("e/kept"), RequestBody.fromString("v2")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch"));
    }
    try (S3Client unknown = S3Clients.withKeys(server.endpoint(), "NOBODY", "whatever-secret")) {
      assertThatThrownBy(() -> unknown.listBuckets())
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId"));
    }
    assertThat(modern.getObjectAsBytes(b -> b.bucket("core").key("e/kept")).asUtf8String())
        .isEqualTo("v1");
    for (String key :
        new String[] {"../../etc/passwd", "a//b", "dir/", "clé é 😀", "k".repeat(1024)}) {
      modern.putObject(
          b -> b.bucket("core").key("odd/" + key.substring(0, Math.min(key.length(), 1000))),
          RequestBody.fromString(key));
    }
    assertThat(modern.listObjectsV2(b -> b.bucket("core").prefix("odd/")).contents())
        .extracting(S3Object::key)
        .contains("odd/../../etc/passwd", "odd/a//b", "odd/dir/", "odd/clé é 😀");
  }

  @Test
  void multipart_sdkDefaults_roundTrip() throws Exception {
    Path file = Files.createTempFile("mp", ".bin");
    long size = 17L * 1024 * 1024 + 5;
    try (InputStream in = content(size, 7)) {
      Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    var create = modern.createMultipartUpload(b -> b.bucket("core").key("mp/file"));
    List<software.amazon.awssdk.services.s3.model.CompletedPart> parts = new ArrayList<>();
    long partSize = 8L * 1024 * 1024;
    for (int n = 1; (n - 1) * partSize < size; n++) {
      long off = (n - 1) * partSize;
      long len = Math.min(partSize, size - off);
      byte[] chunk = new byte[(int) len];
      try (var ch = java.nio.channels.FileChannel.open(file)) {
        ch.read(java.nio.ByteBuffer.wrap(chunk), off);
      }
      int num = n;
      var up =
          modern.uploadPart(
              b -> b.bucket("core").key("mp/file").uploadId(create.uploadId()).partNumber(num),
              RequestBody.fromBytes(chunk));
      parts.add(
          software.amazon.awssdk.services.s3.model.CompletedPart.builder()
              .partNumber(n)
              .eTag(up.eTag())
              .build());
    }
    var done =
        modern.completeMultipartUpload(
            b ->
                b.bucket("core")
                    .key("mp/file")
                    .uploadId(create.uploadId())
                    .multipartUpload(m -> m.parts(parts)));
    assertThat(done.eTag()).endsWith("-3\"");
    try (var got = legacy.getObject(b -> b.bucket("core").key("mp/file"))) {
      assertThat(sha256(got)).isEqualTo(sha256(Files.newInputStream(file)));
    }
    Files.delete(file);
  }
}
