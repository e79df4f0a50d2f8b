package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * ETags and checksums sealed at rest (docs/security.md): every S3 behaviour that uses them still
 * works through the AWS SDK against a real server, and neither the ETags (MD5 of the content, which
 * would confirm a guessed file) nor the checksums are anywhere in clear in the data directory: not
 * in {@code metadata.db} read with {@code sqlite3}, not in any file's bytes. Rows written in clear
 * by an earlier version stay readable and are sealed by the start's background pass.
 */
class SealedMetadataIT {
  private static final int MIB = 1024 * 1024;
  private static ServerProcess server;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start("384m");
    s3 = S3Clients.modern(server.endpoint());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] md5(byte[]... parts) throws Exception {
    MessageDigest md = MessageDigest.getInstance("MD5");
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static String quoted(String hex) {
    return '"' + hex + '"';
  }

  /** Runs {@code sqlite3} on the server's metadata database; its output lines. */
  private static List<String> sqlite(String sql) throws IOException, InterruptedException {
    Path db = server.dataDir().resolve("metadata.db");
    Process p = new ProcessBuilder("sqlite3", db.toString(), sql).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("sqlite3: " + out).isZero();
    return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
  }

  private static int status(Runnable call) {
    S3Exception e = catchThrowableOfType(S3Exception.class, call::run);
    assertThat(e).as("the call should have failed").isNotNull();
    return e.statusCode();
  }

  @Test
  void etagsAndChecksums_workThroughS3_andAreNowhereInClearOnDisk() throws Exception {
    s3.createBucket(b -> b.bucket("sealed"));
    List<String> secrets = new ArrayList<>();

    // A single PUT with a SHA-256 checksum.
    byte[] single = random(100_000, 1);
    String singleMd5 = hex(md5(single));
    var put =
        s3.putObject(
            b -> b.bucket("sealed").key("single").checksumAlgorithm(ChecksumAlgorithm.SHA256),
            RequestBody.fromBytes(single));
    assertThat(put.eTag()).isEqualTo(quoted(singleMd5));
    secrets.add(singleMd5);
    secrets.add(put.checksumSHA256());

    var head =
        s3.headObject(b -> b.bucket("sealed").key("single").checksumMode(ChecksumMode.ENABLED));
    assertThat(head.eTag()).isEqualTo(quoted(singleMd5));
    assertThat(head.checksumSHA256()).isEqualTo(put.checksumSHA256());
    assertThat(
            s3.getObjectAsBytes(b -> b.bucket("sealed").key("single").ifMatch(put.eTag()))
                .asByteArray())
        .isEqualTo(single);
    assertThat(
            status(
                () -> s3.getObject(b -> b.bucket("sealed").key("single").ifNoneMatch(put.eTag()))))
        .isEqualTo(304);
    assertThat(
            status(
                () ->
                    s3.headObject(
                        b -> b.bucket("sealed").key("single").ifMatch(quoted("0".repeat(32))))))
        .isEqualTo(412);

    // CopyObject with a copy-source condition: the copy has the same ETag.
    var copy =
        s3.copyObject(
            b ->
                b.sourceBucket("sealed")
                    .sourceKey("single")
                    .destinationBucket("sealed")
                    .destinationKey("copy")
                    .copySourceIfMatch(put.eTag()));
    assertThat(copy.copyObjectResult().eTag()).isEqualTo(put.eTag());
    assertThat(
            status(
                () ->
                    s3.copyObject(
                        b ->
                            b.sourceBucket("sealed")
                                .sourceKey("single")
                                .destinationBucket("sealed")
                                .destinationKey("copy2")
                                .copySourceIfNoneMatch(put.eTag()))))
        .isEqualTo(412);

    // A multipart upload with SHA-256 part checksums (composite), and one left open.
    byte[] p1 = random(5 * MIB, 2);
    byte[] p2 = random(1000, 3);
    String mpEtag = hex(md5(md5(p1), md5(p2))) + "-2";
    var created =
        s3.createMultipartUpload(
            b -> b.bucket("sealed").key("multi").checksumAlgorithm(ChecksumAlgorithm.SHA256));
    List<CompletedPart> parts = new ArrayList<>();
    int n = 1;
    for (byte[] p : List.of(p1, p2)) {
      int number = n++;
      var up =
          s3.uploadPart(
              b ->
                  b.bucket("sealed")
                      .key("multi")
                      .uploadId(created.uploadId())
                      .partNumber(number)
                      .checksumAlgorithm(ChecksumAlgorithm.SHA256),
              RequestBody.fromBytes(p));
      assertThat(up.eTag()).isEqualTo(quoted(hex(md5(p))));
      secrets.add(hex(md5(p)));
      secrets.add(up.checksumSHA256());
      parts.add(
          CompletedPart.builder()
              .partNumber(number)
              .eTag(up.eTag())
              .checksumSHA256(up.checksumSHA256())
              .build());
    }
    List<Part> listed =
        s3.listParts(b -> b.bucket("sealed").key("multi").uploadId(created.uploadId())).parts();
    assertThat(listed)
        .extracting(Part::eTag)
        .containsExactly(parts.get(0).eTag(), parts.get(1).eTag());
    assertThat(listed)
        .extracting(Part::checksumSHA256)
        .containsExactly(parts.get(0).checksumSHA256(), parts.get(1).checksumSHA256());
    // A wrong part ETag in the completion list is refused: the stored ETags are compared.
    assertThat(
            status(
                () ->
                    s3.completeMultipartUpload(
                        b ->
                            b.bucket("sealed")
                                .key("multi")
                                .uploadId(created.uploadId())
                                .multipartUpload(
                                    m ->
                                        m.parts(
                                            parts.get(0),
                                            parts.get(1).toBuilder()
                                                .eTag(quoted("1".repeat(32)))
                                                .build())))))
        .isEqualTo(400);
    var done =
        s3.completeMultipartUpload(
            b ->
                b.bucket("sealed")
                    .key("multi")
                    .uploadId(created.uploadId())
                    .multipartUpload(m -> m.parts(parts)));
    assertThat(done.eTag()).isEqualTo(quoted(mpEtag));
    secrets.add(mpEtag.substring(0, 32));
    var mpHead =
        s3.headObject(b -> b.bucket("sealed").key("multi").checksumMode(ChecksumMode.ENABLED));
    assertThat(mpHead.eTag()).isEqualTo(quoted(mpEtag));
    assertThat(mpHead.checksumSHA256()).isEqualTo(done.checksumSHA256()).endsWith("-2");
    secrets.add(done.checksumSHA256().substring(0, done.checksumSHA256().indexOf('-')));

    byte[] open = random(2000, 4);
    var pending =
        s3.createMultipartUpload(
            b -> b.bucket("sealed").key("pending").checksumAlgorithm(ChecksumAlgorithm.CRC32_C));
    var openPart =
        s3.uploadPart(
            b ->
                b.bucket("sealed")
                    .key("pending")
                    .uploadId(pending.uploadId())
                    .partNumber(1)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32_C),
            RequestBody.fromBytes(open));
    secrets.add(hex(md5(open)));
    secrets.add(openPart.checksumCRC32C());

    // Listings give the ETags back.
    assertThat(s3.listObjectsV2(b -> b.bucket("sealed")).contents())
        .extracting(S3Object::key, S3Object::eTag)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("copy", quoted(singleMd5)),
            org.assertj.core.groups.Tuple.tuple("multi", quoted(mpEtag)),
            org.assertj.core.groups.Tuple.tuple("single", quoted(singleMd5)));

    // On disk: the rows hold sealed values only, and no file holds any of them in clear.
    assertThat(sqlite("SELECT etag FROM objects")).hasSize(3).allMatch(v -> v.startsWith("s1:"));
    assertThat(sqlite("SELECT etag || ' ' || COALESCE(checksum, '') FROM parts"))
        .hasSize(1)
        .allMatch(v -> v.matches("s1:\\S+ s1:\\S+"));
    assertThat(sqlite("SELECT etag FROM completed_uploads")).allMatch(v -> v.startsWith("s1:"));
    sqlite("PRAGMA wal_checkpoint(TRUNCATE)");
    // The scan reads the database: the names, which listing needs, are there in clear.
    assertThat(
            DiskScan.filesContaining(server.dataDir(), "pending".getBytes(StandardCharsets.UTF_8)))
        .extracting(p -> p.getFileName().toString())
        .contains("metadata.db");
    for (String secret : secrets) {
      assertThat(secret).isNotBlank();
      assertThat(
              DiskScan.filesContaining(
                  server.dataDir(), secret.getBytes(StandardCharsets.US_ASCII)))
          .as("files holding " + secret + " in clear")
          .isEmpty();
    }
    assertThat(DiskScan.filesContaining(server.dataDir(), md5(single)))
        .as("files holding the MD5 bytes")
        .isEmpty();
  }

  @Test
  void rowWrittenInClear_isRead_thenSealedByTheNextStart() throws Exception {
    s3.createBucket(b -> b.bucket("legacy"));
    byte[] body = random(3000, 5);
    String md5 = hex(md5(body));
    s3.putObject(b -> b.bucket("legacy").key("old"), RequestBody.fromBytes(body));
    String where =
        " WHERE bucket = 'legacy' AND key = X'" + hex("old".getBytes(StandardCharsets.UTF_8)) + "'";
    server.close();
    // What a version before sealing wrote: the ETag in clear.
    sqlite("UPDATE objects SET etag = '" + md5 + "'" + where);
    assertThat(sqlite("SELECT etag FROM objects" + where)).containsExactly(md5);
    server.launch();
    assertThat(s3.headObject(b -> b.bucket("legacy").key("old")).eTag()).isEqualTo(quoted(md5));
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!sqlite("SELECT etag FROM objects" + where).get(0).startsWith("s1:")) {
      assertThat(System.nanoTime()).as("sealed by the background pass").isLessThan(deadline);
      Thread.sleep(200);
    }
    assertThat(s3.headObject(b -> b.bucket("legacy").key("old")).eTag()).isEqualTo(quoted(md5));
    assertThat(
            s3.getObjectAsBytes(b -> b.bucket("legacy").key("old").ifMatch(quoted(md5)))
                .asByteArray())
        .isEqualTo(body);
    assertThat(server.log()).content().contains("sealed 1 ETags and checksums");
  }
}
