package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * SSE-KMS with KMS keys managed through the admin API and the command line: the AWS SDK v2 and
 * aws-cli (old and new) write and read under a named key or the bucket's default, a disabled key
 * stops reads and writes with S3's KMS errors, rotation and re-wrap keep old objects readable, and
 * destroying a key makes its objects unreadable for good, with an erasure certificate that verifies
 * offline and stops verifying once altered.
 */
class KmsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ServerProcess server;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
    s3 = S3Clients.modern(server.endpoint());
  }

  @AfterAll
  static void stop() {
    s3.close();
    server.close();
  }

  private static JsonNode admin(String method, String path, String body) throws Exception {
    ServerProcess.Admin a = server.admin(method, path, body);
    assertThat(a.status()).as(method + " " + path + ": " + a.body()).isBetween(200, 299);
    return JSON.readTree(a.body());
  }

  private static String createKey(String alias) throws Exception {
    return admin("POST", "keys", "{\"alias\":\"" + alias + "\"}").get("arn").asText();
  }

  private static String errorCode(Throwable e) {
    return ((S3Exception) e).awsErrorDetails().errorCode();
  }

  private static Map<String, String> cliEnv() {
    return Map.of(
        "COFFRE_ADMIN_URL",
        server.adminEndpoint().toString(),
        "COFFRE_ADMIN_TOKEN",
        ServerProcess.ADMIN_TOKEN);
  }

  @Test
  void sseKms_sdkPutGetCopyAndMultipart_reportTheKey_andNoPlaintextOnDisk() throws Exception {
    String a = createKey("it-sdk-a");
    String b = createKey("it-sdk-b");
    s3.createBucket(r -> r.bucket("kms-sdk"));
    String marker = "SSE-KMS-MARKER-" + System.nanoTime();
    var put =
        s3.putObject(
            r ->
                r.bucket("kms-sdk")
                    .key("o")
                    .metadata(Map.of("m", marker))
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId("alias/it-sdk-a"),
            RequestBody.fromString(marker));
    assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
    assertThat(put.ssekmsKeyId()).isEqualTo(a);

    var got = s3.getObjectAsBytes(r -> r.bucket("kms-sdk").key("o"));
    assertThat(got.asUtf8String()).isEqualTo(marker);
    assertThat(got.response().ssekmsKeyId()).isEqualTo(a);
    assertThat(s3.headObject(r -> r.bucket("kms-sdk").key("o")).serverSideEncryption())
        .isEqualTo(ServerSideEncryption.AWS_KMS);

    var copy =
        s3.copyObject(
            r ->
                r.sourceBucket("kms-sdk")
                    .sourceKey("o")
                    .destinationBucket("kms-sdk")
                    .destinationKey("copy")
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(b));
    assertThat(copy.ssekmsKeyId()).isEqualTo(b);
    assertThat(s3.getObjectAsBytes(r -> r.bucket("kms-sdk").key("copy")).asUtf8String())
        .isEqualTo(marker);

    // Multipart under key a: parts and completion carry the key; the object reads back whole.
    var created =
        s3.createMultipartUpload(
            r ->
                r.bucket("kms-sdk")
                    .key("mp")
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(a));
    assertThat(created.ssekmsKeyId()).isEqualTo(a);
    byte[] part1 = new byte[5 * 1024 * 1024];
    java.util.Arrays.fill(part1, (byte) 'k');
    List<CompletedPart> parts = new ArrayList<>();
    var up =
        s3.uploadPart(
            r -> r.bucket("kms-sdk").key("mp").uploadId(created.uploadId()).partNumber(1),
            RequestBody.fromBytes(part1));
    assertThat(up.ssekmsKeyId()).isEqualTo(a);
    parts.add(CompletedPart.builder().partNumber(1).eTag(up.eTag()).build());
    // Part 2 copied from the object under key b: the answer names the upload's key (a).
    var copied =
        s3.uploadPartCopy(
            r ->
                r.sourceBucket("kms-sdk")
                    .sourceKey("copy")
                    .destinationBucket("kms-sdk")
                    .destinationKey("mp")
                    .uploadId(created.uploadId())
                    .partNumber(2));
    assertThat(copied.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
    assertThat(copied.ssekmsKeyId()).isEqualTo(a);
    parts.add(CompletedPart.builder().partNumber(2).eTag(copied.copyPartResult().eTag()).build());
    var done =
        s3.completeMultipartUpload(
            r ->
                r.bucket("kms-sdk")
                    .key("mp")
                    .uploadId(created.uploadId())
                    .multipartUpload(m -> m.parts(parts)));
    assertThat(done.ssekmsKeyId()).isEqualTo(a);
    var mp = s3.getObjectAsBytes(r -> r.bucket("kms-sdk").key("mp"));
    assertThat(mp.asByteArray()).hasSize(part1.length + marker.length());
    assertThat(mp.response().ssekmsKeyId()).isEqualTo(a);

    JsonNode described = admin("GET", "keys/alias/it-sdk-a", null);
    assertThat(described.get("usage").get("objects").asLong()).isEqualTo(2);
    assertThat(DiskScan.filesContaining(server.dataDir(), marker.getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
  }

  @Test
  void unknownOrDisabledKey_refusedWithKmsErrors_untilEnabledAgain() throws Exception {
    s3.createBucket(r -> r.bucket("kms-state"));
    assertThatThrownBy(
            () ->
                s3.putObject(
                    r ->
                        r.bucket("kms-state")
                            .key("x")
                            .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                            .ssekmsKeyId("alias/no-such-key"),
                    RequestBody.fromString("x")))
        .satisfies(e -> assertThat(errorCode(e)).isEqualTo("KMS.NotFoundException"))
        .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(400));
    String arn = createKey("it-state");
    s3.putObject(
        r ->
            r.bucket("kms-state")
                .key("o")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(arn),
        RequestBody.fromString("before"));
    // Read warm first: whatever the server keeps between requests (its bucket, its settings, a
    // signing key) must not let the next read through once the key is disabled.
    for (int i = 0; i < 3; i++) {
      assertThat(s3.getObjectAsBytes(r -> r.bucket("kms-state").key("o")).asUtf8String())
          .isEqualTo("before");
    }

    ServerProcess.Admin disabled =
        ServerProcess.cli(cliEnv(), "admin", "keys", "disable", "alias/it-state", "--json");
    assertThat(disabled.status()).as(disabled.body()).isZero();
    assertThat(disabled.body()).contains("\"DISABLED\"");
    assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket("kms-state").key("o")))
        .satisfies(e -> assertThat(errorCode(e)).isEqualTo("KMS.DisabledException"));
    assertThatThrownBy(
            () ->
                s3.putObject(
                    r ->
                        r.bucket("kms-state")
                            .key("p")
                            .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                            .ssekmsKeyId(arn),
                    RequestBody.fromString("during")))
        .satisfies(e -> assertThat(errorCode(e)).isEqualTo("KMS.DisabledException"));
    assertThat(s3.listObjectsV2(r -> r.bucket("kms-state")).contents()).hasSize(1);

    admin("POST", "keys/alias/it-state/enable", null);
    assertThat(s3.getObjectAsBytes(r -> r.bucket("kms-state").key("o")).asUtf8String())
        .isEqualTo("before");
  }

  @Test
  void bucketDefault_kmsKey_appliesToClientsThatAskNothing_oldAndNewAwsCli() throws Exception {
    String arn = createKey("it-default");
    s3.createBucket(r -> r.bucket("kms-default"));
    var rule =
        software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule.builder()
            .applyServerSideEncryptionByDefault(
                d ->
                    d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID("alias/it-default"))
            .build();
    s3.putBucketEncryption(
        r -> r.bucket("kms-default").serverSideEncryptionConfiguration(c -> c.rules(rule)));
    var config =
        s3.getBucketEncryption(r -> r.bucket("kms-default")).serverSideEncryptionConfiguration();
    assertThat(config.rules().get(0).applyServerSideEncryptionByDefault().kmsMasterKeyID())
        .isEqualTo(arn);

    s3.putObject(r -> r.bucket("kms-default").key("sdk"), RequestBody.fromString("plain request"));
    assertThat(s3.headObject(r -> r.bucket("kms-default").key("sdk")).ssekmsKeyId()).isEqualTo(arn);
    // An explicit AES256 still gets SSE-S3.
    s3.putObject(
        r -> r.bucket("kms-default").key("s3").serverSideEncryption(ServerSideEncryption.AES256),
        RequestBody.fromString("sse-s3"));
    assertThat(s3.headObject(r -> r.bucket("kms-default").key("s3")).ssekmsKeyId()).isNull();

    Path file = Files.createTempFile("kms-cli", ".txt");
    Files.writeString(file, "from aws-cli");
    int clis = 0;
    for (String aws :
        List.of(System.getenv().getOrDefault("COFFRE_IT_OLD_AWS", "/usr/bin/aws"), "aws")) {
      Process p;
      try {
        p = awsCli(aws, "s3", "cp", file.toString(), "s3://kms-default/" + clis);
      } catch (java.io.IOException e) {
        continue; // this aws-cli is not installed
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(aws + ": " + out).isZero();
      int n = clis;
      assertThat(s3.headObject(r -> r.bucket("kms-default").key(Integer.toString(n))).ssekmsKeyId())
          .isEqualTo(arn);
      clis++;
    }
    assumeTrue(clis > 0, "no aws-cli installed");
    Process explicit =
        awsCli(
            "aws",
            "s3",
            "cp",
            file.toString(),
            "s3://kms-default/explicit",
            "--sse",
            "aws:kms",
            "--sse-kms-key-id",
            "alias/it-default");
    assertThat(explicit.waitFor()).isZero();
    assertThat(s3.headObject(r -> r.bucket("kms-default").key("explicit")).ssekmsKeyId())
        .isEqualTo(arn);
  }

  private static Process awsCli(String aws, String... args) throws java.io.IOException {
    List<String> cmd =
        new ArrayList<>(List.of(aws, "--endpoint-url", server.endpoint().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("AWS_CA_BUNDLE");
    pb.environment().put("AWS_ACCESS_KEY_ID", ServerProcess.ACCESS_KEY);
    pb.environment().put("AWS_SECRET_ACCESS_KEY", ServerProcess.SECRET_KEY);
    pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
    pb.environment().put("AWS_CONFIG_FILE", "/nonexistent");
    return pb.start();
  }

  @Test
  void rotateRewrapDestroy_oldObjectsReadable_thenShredded_withAVerifiableCertificate()
      throws Exception {
    String arn = createKey("it-shred");
    s3.createBucket(r -> r.bucket("kms-shred"));
    s3.putObject(
        r ->
            r.bucket("kms-shred")
                .key("v1")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(arn),
        RequestBody.fromString("under version 1"));
    assertThat(admin("POST", "keys/alias/it-shred/rotate", null).get("currentVersion").asInt())
        .isEqualTo(2);
    s3.putObject(
        r ->
            r.bucket("kms-shred")
                .key("v2")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(arn),
        RequestBody.fromString("under version 2"));
    assertThat(admin("GET", "keys/alias/it-shred", null).get("objectsOnOlderVersions").asLong())
        .isEqualTo(1);
    assertThat(s3.getObjectAsBytes(r -> r.bucket("kms-shred").key("v1")).asUtf8String())
        .isEqualTo("under version 1");

    ServerProcess.Admin rewrap =
        ServerProcess.cli(cliEnv(), "admin", "keys", "rewrap", arn, "--json");
    assertThat(rewrap.status()).as(rewrap.body()).isZero();
    assertThat(JSON.readTree(rewrap.body()).get("rewrapped").asLong()).isEqualTo(1);
    assertThat(admin("GET", "keys/alias/it-shred", null).get("objectsOnOlderVersions").asLong())
        .isZero();
    assertThat(s3.getObjectAsBytes(r -> r.bucket("kms-shred").key("v1")).asUtf8String())
        .isEqualTo("under version 1");

    // Not scheduled and no override: refused, nothing destroyed.
    assertThat(ServerProcess.cli(cliEnv(), "admin", "keys", "destroy", "alias/it-shred").status())
        .isEqualTo(1);
    assertThat(s3.getObjectAsBytes(r -> r.bucket("kms-shred").key("v2")).asUtf8String())
        .isEqualTo("under version 2");

    Path work = Files.createTempDirectory("kms-cert");
    Path cert = work.resolve("cert.json");
    ServerProcess.Admin destroy =
        ServerProcess.cli(
            cliEnv(),
            "admin",
            "keys",
            "destroy",
            "alias/it-shred",
            "--now",
            "--reason",
            "end of contract",
            "--out",
            cert.toString());
    assertThat(destroy.status()).as(destroy.body()).isZero();
    JsonNode c = JSON.readTree(Files.readString(cert)).get("certificate");
    assertThat(c.get("keyId").asText()).isEqualTo(arn.substring(arn.indexOf("key/") + 4));
    assertThat(c.get("objects").asLong()).isEqualTo(2);
    assertThat(c.get("bytes").asLong()).isEqualTo(30);
    assertThat(c.get("versions").asInt()).isEqualTo(2);
    assertThat(c.get("override").asBoolean()).isTrue();
    assertThat(c.get("reason").asText()).isEqualTo("end of contract");
    assertThat(c.get("destroyedBy").asText()).startsWith("operator");

    for (String key : List.of("v1", "v2")) {
      assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket("kms-shred").key(key)))
          .satisfies(e -> assertThat(errorCode(e)).isEqualTo("KMS.KMSInvalidStateException"));
    }
    JsonNode after = admin("GET", "keys/alias/it-shred", null);
    assertThat(after.get("state").asText()).isEqualTo("DESTROYED");
    assertThat(after.get("versions")).isEmpty();

    // Offline verification: valid with the server's published key, invalid once altered.
    Path pub = work.resolve("signing.pem");
    assertThat(
            ServerProcess.cli(cliEnv(), "admin", "signing-key", "--out", pub.toString()).status())
        .isZero();
    assertThat(Files.readString(pub))
        .isEqualTo(Files.readString(server.dataDir().resolve("keys/signing.pub")));
    ServerProcess.Admin ok =
        ServerProcess.cli(
            Map.of(), "certificate", "verify", cert.toString(), "--public-key", pub.toString());
    assertThat(ok.status()).as(ok.body()).isZero();

    String original = Files.readString(cert);
    Path fewer = work.resolve("fewer.json");
    Files.writeString(fewer, original.replace("\"objects\" : 2", "\"objects\" : 1"));
    assertThat(Files.readString(fewer)).isNotEqualTo(original);
    assertThat(
            ServerProcess.cli(
                    Map.of(),
                    "certificate",
                    "verify",
                    fewer.toString(),
                    "--public-key",
                    pub.toString())
                .status())
        .isEqualTo(1);
    Path when = work.resolve("when.json");
    Files.writeString(when, original.replace("end of contract", "end of kontract"));
    assertThat(ServerProcess.cli(Map.of(), "certificate", "verify", when.toString()).status())
        .isEqualTo(1);

    // Signed by another key (re-signed by a forger): its own signature holds, but not the trusted
    // key's.
    var forger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    var sig = java.security.Signature.getInstance("Ed25519");
    sig.initSign(forger.getPrivate());
    sig.update(canonical(JSON.readTree(original).get("certificate")));
    var forged = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(original);
    forged.put("publicKey", Base64.getEncoder().encodeToString(forger.getPublic().getEncoded()));
    forged.put("signature", Base64.getEncoder().encodeToString(sig.sign()));
    Path forgedFile = work.resolve("forged.json");
    Files.writeString(forgedFile, JSON.writeValueAsString(forged));
    assertThat(ServerProcess.cli(Map.of(), "certificate", "verify", forgedFile.toString()).status())
        .isZero();
    assertThat(
            ServerProcess.cli(
                    Map.of(),
                    "certificate",
                    "verify",
                    forgedFile.toString(),
                    "--public-key",
                    pub.toString())
                .status())
        .isEqualTo(1);

    // Format 2: the digest of the sorted list of the versions it covers; the list from the server.
    assertThat(c.get("format").asText()).isEqualTo("coffre-erasure-certificate/2");
    Path covered = work.resolve("covered.txt");
    ServerProcess.Admin list =
        ServerProcess.cli(
            cliEnv(), "admin", "keys", "covered", "alias/it-shred", "--out", covered.toString());
    assertThat(list.status()).as(list.body()).isZero();
    assertThat(Files.readString(covered)).isEqualTo("kms-shred\tv1\tnull\nkms-shred\tv2\tnull\n");
    assertThat(c.get("covered").asText())
        .isEqualTo(
            "sha256:"
                + java.util.HexFormat.of()
                    .formatHex(
                        java.security.MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(covered))));
    ServerProcess.Admin listed =
        ServerProcess.cli(
            Map.of(),
            "certificate",
            "verify",
            cert.toString(),
            "--public-key",
            pub.toString(),
            "--covered",
            covered.toString());
    assertThat(listed.status()).as(listed.body()).isZero();
    Path partial = work.resolve("partial.txt");
    Files.writeString(partial, "kms-shred\tv1\tnull\n");
    assertThat(
            ServerProcess.cli(
                    Map.of(),
                    "certificate",
                    "verify",
                    cert.toString(),
                    "--covered",
                    partial.toString())
                .status())
        .isEqualTo(1);

    // The certificate stays available from the server.
    ServerProcess.Admin again = ServerProcess.cli(cliEnv(), "admin", "keys", "certificate", arn);
    assertThat(again.status()).isZero();
    assertThat(JSON.readTree(again.body())).isEqualTo(JSON.readTree(original));
  }

  /** The certificate's canonical form, as documented in docs/on-disk-format.md. */
  private static byte[] canonical(JsonNode c) {
    StringBuilder b = new StringBuilder();
    for (String f :
        List.of(
            "format",
            "keyId",
            "alias",
            "keyCreated",
            "destroyedAt",
            "destroyedBy",
            "requestedFrom",
            "reason",
            "override",
            "scheduledDeletionDate",
            "versions",
            "objects",
            "bytes",
            "uploads",
            "rootKeyId",
            "covered")) {
      if (f.equals("covered") && c.get("format").asText().endsWith("/1")) {
        continue;
      }
      JsonNode v = c.get(f);
      b.append(f)
          .append('=')
          .append(
              v == null || v.isNull()
                  ? "\\0"
                  : v.asText().replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r"))
          .append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void identicalObjects_underTwoKeys_haveDifferentWrappedKeysAndCiphertext() throws Exception {
    String a = createKey("it-tenant-a");
    String b = createKey("it-tenant-b");
    for (String[] t : List.of(new String[] {"kms-tenant-a", a}, new String[] {"kms-tenant-b", b})) {
      s3.createBucket(r -> r.bucket(t[0]));
      s3.putObject(
          r ->
              r.bucket(t[0])
                  .key("same")
                  .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                  .ssekmsKeyId(t[1]),
          RequestBody.fromString("identical content in both tenants"));
    }
    List<String> refs = new ArrayList<>();
    List<String> wrapped = new ArrayList<>();
    List<String> blobs = new ArrayList<>();
    try (var db =
            DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("metadata.db"));
        var rs =
            db.createStatement()
                .executeQuery(
                    "SELECT key_ref, wrapped_key, blobs FROM objects WHERE bucket IN ('kms-tenant-a', 'kms-tenant-b')")) {
      while (rs.next()) {
        refs.add(rs.getString(1));
        wrapped.add(Base64.getEncoder().encodeToString(rs.getBytes(2)));
        blobs.add(rs.getString(3));
      }
    }
    assertThat(refs).hasSize(2);
    assertThat(refs.get(0)).startsWith("kms:").isNotEqualTo(refs.get(1));
    assertThat(wrapped.get(0)).isNotEqualTo(wrapped.get(1));
    assertThat(blobs.get(0)).isNotEqualTo(blobs.get(1));
  }
}
