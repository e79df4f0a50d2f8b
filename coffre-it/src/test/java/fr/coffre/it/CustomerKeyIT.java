package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * SSE-C with the AWS SDK v2: the object's data key is wrapped by the client's key, which Coffre
 * never stores; reads need the same key (wrong key 403, none 400, a key for an SSE-S3 object 400),
 * copies re-encrypt from one customer key to another, and no plaintext or key reaches the disk.
 */
class CustomerKeyIT {
  private static ServerProcess server;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
    s3 = S3Clients.modern(server.endpoint());
    s3.createBucket(b -> b.bucket("ssec"));
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  private static byte[] key(int seed) {
    byte[] k = new byte[32];
    new java.util.Random(seed).nextBytes(k);
    return k;
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static String md5(byte[] b) {
    try {
      return b64(MessageDigest.getInstance("MD5").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int status(Throwable e) {
    return ((S3Exception) e).statusCode();
  }

  private static boolean onDisk(byte[] marker) throws Exception {
    return !DiskScan.filesContaining(server.dataDir(), marker).isEmpty();
  }

  @Test
  void customerKey_objectAttributes_needTheKey() {
    byte[] k = key(7);
    var put =
        s3.putObject(
            b ->
                b.bucket("ssec")
                    .key("attrs")
                    .sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(b64(k))
                    .sseCustomerKeyMD5(md5(k)),
            RequestBody.fromString("A".repeat(1000)));
    assertThatThrownBy(
            () ->
                s3.getObjectAttributes(
                    b ->
                        b.bucket("ssec")
                            .key("attrs")
                            .objectAttributes(
                                ObjectAttributes.E_TAG, ObjectAttributes.OBJECT_SIZE)))
        .satisfies(e -> assertThat(status(e)).isEqualTo(400));
    byte[] other = key(8);
    assertThatThrownBy(
            () ->
                s3.getObjectAttributes(
                    b ->
                        b.bucket("ssec")
                            .key("attrs")
                            .objectAttributes(ObjectAttributes.OBJECT_SIZE)
                            .sseCustomerAlgorithm("AES256")
                            .sseCustomerKey(b64(other))
                            .sseCustomerKeyMD5(md5(other))))
        .satisfies(e -> assertThat(status(e)).isIn(400, 403));
    var attrs =
        s3.getObjectAttributes(
            b ->
                b.bucket("ssec")
                    .key("attrs")
                    .objectAttributes(
                        ObjectAttributes.E_TAG,
                        ObjectAttributes.OBJECT_SIZE,
                        ObjectAttributes.STORAGE_CLASS)
                    .sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(b64(k))
                    .sseCustomerKeyMD5(md5(k)));
    assertThat(attrs.objectSize()).isEqualTo(1000L);
    assertThat(attrs.eTag()).isEqualTo(put.eTag().replace("\"", ""));
    assertThat(attrs.storageClassAsString()).isEqualTo("STANDARD");
  }

  @Test
  void customerKey_writeReadWrongMissingAndCopy() throws Exception {
    byte[] k1 = key(1);
    byte[] k2 = key(2);
    String marker = "SSE-C-CONTENT-MARKER-" + System.nanoTime();
    var put =
        s3.putObject(
            b ->
                b.bucket("ssec")
                    .key("c")
                    .metadata(Map.of("m", marker))
                    .sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(b64(k1))
                    .sseCustomerKeyMD5(md5(k1)),
            RequestBody.fromString(marker));
    assertThat(put.sseCustomerAlgorithm()).isEqualTo("AES256");
    assertThat(put.sseCustomerKeyMD5()).isEqualTo(md5(k1));
    assertThat(put.serverSideEncryption()).isNull();

    var got =
        s3.getObjectAsBytes(
            b ->
                b.bucket("ssec")
                    .key("c")
                    .sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(b64(k1))
                    .sseCustomerKeyMD5(md5(k1)));
    assertThat(got.asUtf8String()).isEqualTo(marker);
    assertThat(got.response().metadata()).containsEntry("m", marker);
    assertThat(
            s3.headObject(
                    b ->
                        b.bucket("ssec")
                            .key("c")
                            .sseCustomerAlgorithm("AES256")
                            .sseCustomerKey(b64(k1))
                            .sseCustomerKeyMD5(md5(k1)))
                .sseCustomerKeyMD5())
        .isEqualTo(md5(k1));

    assertThatThrownBy(
            () ->
                s3.getObjectAsBytes(
                    b ->
                        b.bucket("ssec")
                            .key("c")
                            .sseCustomerAlgorithm("AES256")
                            .sseCustomerKey(b64(k2))
                            .sseCustomerKeyMD5(md5(k2))))
        .satisfies(e -> assertThat(status(e)).isEqualTo(403))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(marker));
    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("ssec").key("c")))
        .satisfies(e -> assertThat(status(e)).isEqualTo(400));
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("ssec").key("c")))
        .satisfies(e -> assertThat(status(e)).isEqualTo(400));
    // The MD5 must match the key: a typo is caught before anything is read.
    assertThatThrownBy(
            () ->
                s3.getObjectAsBytes(
                    b ->
                        b.bucket("ssec")
                            .key("c")
                            .sseCustomerAlgorithm("AES256")
                            .sseCustomerKey(b64(k1))
                            .sseCustomerKeyMD5(md5(k2))))
        .satisfies(e -> assertThat(status(e)).isEqualTo(400));

    // Copy from key 1 to key 2: the copy opens with key 2 only.
    s3.copyObject(
        b ->
            b.sourceBucket("ssec")
                .sourceKey("c")
                .destinationBucket("ssec")
                .destinationKey("c2")
                .copySourceSSECustomerAlgorithm("AES256")
                .copySourceSSECustomerKey(b64(k1))
                .copySourceSSECustomerKeyMD5(md5(k1))
                .sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(k2))
                .sseCustomerKeyMD5(md5(k2)));
    assertThat(
            s3.getObjectAsBytes(
                    b ->
                        b.bucket("ssec")
                            .key("c2")
                            .sseCustomerAlgorithm("AES256")
                            .sseCustomerKey(b64(k2))
                            .sseCustomerKeyMD5(md5(k2)))
                .asUtf8String())
        .isEqualTo(marker);
    assertThatThrownBy(
            () ->
                s3.getObjectAsBytes(
                    b ->
                        b.bucket("ssec")
                            .key("c2")
                            .sseCustomerAlgorithm("AES256")
                            .sseCustomerKey(b64(k1))
                            .sseCustomerKeyMD5(md5(k1))))
        .satisfies(e -> assertThat(status(e)).isEqualTo(403));

    // A key given for an object stored without one is refused, not ignored.
    s3.putObject(b -> b.bucket("ssec").key("plain"), RequestBody.fromString("plain"));
    assertThatThrownBy(
            () ->
                s3.getObjectAsBytes(
                    b ->
                        b.bucket("ssec")
                            .key("plain")
                            .sseCustomerAlgorithm("AES256")
                            .sseCustomerKey(b64(k1))
                            .sseCustomerKeyMD5(md5(k1))))
        .satisfies(e -> assertThat(status(e)).isEqualTo(400));

    assertThat(onDisk(marker.getBytes(StandardCharsets.UTF_8)))
        .as("plaintext marker on disk")
        .isFalse();
    assertThat(onDisk(k1)).as("customer key on disk").isFalse();
    assertThat(onDisk(b64(k1).getBytes(StandardCharsets.US_ASCII)))
        .as("customer key (base64) on disk")
        .isFalse();
  }

  @Test
  void customerKey_multipartUpload_partsNeedTheSameKey() throws Exception {
    byte[] k1 = key(11);
    byte[] k2 = key(12);
    byte[] part1 = new byte[5 * 1024 * 1024];
    new java.util.Random(5).nextBytes(part1);
    byte[] part2 = "the last part".getBytes(StandardCharsets.UTF_8);
    String id =
        s3.createMultipartUpload(
                b ->
                    b.bucket("ssec")
                        .key("mp")
                        .sseCustomerAlgorithm("AES256")
                        .sseCustomerKey(b64(k1))
                        .sseCustomerKeyMD5(md5(k1)))
            .uploadId();
    String e1 =
        s3.uploadPart(
                b ->
                    b.bucket("ssec")
                        .key("mp")
                        .uploadId(id)
                        .partNumber(1)
                        .sseCustomerAlgorithm("AES256")
                        .sseCustomerKey(b64(k1))
                        .sseCustomerKeyMD5(md5(k1)),
                RequestBody.fromBytes(part1))
            .eTag();
    assertThatThrownBy(
            () ->
                s3.uploadPart(
                    b ->
                        b.bucket("ssec")
                            .key("mp")
                            .uploadId(id)
                            .partNumber(2)
                            .sseCustomerAlgorithm("AES256")
                            .sseCustomerKey(b64(k2))
                            .sseCustomerKeyMD5(md5(k2)),
                    RequestBody.fromBytes(part2)))
        .satisfies(e -> assertThat(status(e)).isEqualTo(403));
    assertThatThrownBy(
            () ->
                s3.uploadPart(
                    b -> b.bucket("ssec").key("mp").uploadId(id).partNumber(2),
                    RequestBody.fromBytes(part2)))
        .satisfies(e -> assertThat(status(e)).isEqualTo(400));
    String e2 =
        s3.uploadPart(
                b ->
                    b.bucket("ssec")
                        .key("mp")
                        .uploadId(id)
                        .partNumber(2)
                        .sseCustomerAlgorithm("AES256")
                        .sseCustomerKey(b64(k1))
                        .sseCustomerKeyMD5(md5(k1)),
                RequestBody.fromBytes(part2))
            .eTag();
    assertThat(s3.listParts(b -> b.bucket("ssec").key("mp").uploadId(id)).parts()).hasSize(2);
    s3.completeMultipartUpload(
        b ->
            b.bucket("ssec")
                .key("mp")
                .uploadId(id)
                .sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(k1))
                .sseCustomerKeyMD5(md5(k1))
                .multipartUpload(
                    m ->
                        m.parts(
                            software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                                .partNumber(1)
                                .eTag(e1)
                                .build(),
                            software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                                .partNumber(2)
                                .eTag(e2)
                                .build())));
    byte[] back =
        s3.getObjectAsBytes(
                b ->
                    b.bucket("ssec")
                        .key("mp")
                        .sseCustomerAlgorithm("AES256")
                        .sseCustomerKey(b64(k1))
                        .sseCustomerKeyMD5(md5(k1)))
            .asByteArray();
    assertThat(back).hasSize(part1.length + part2.length);
    assertThat(java.util.Arrays.copyOfRange(back, part1.length, back.length)).isEqualTo(part2);
    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("ssec").key("mp")))
        .satisfies(e -> assertThat(status(e)).isEqualTo(400));
    assertThat(onDisk(part2)).as("last part's plaintext on disk").isFalse();
  }
}
