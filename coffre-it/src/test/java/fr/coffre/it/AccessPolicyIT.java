package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A restricted user through real clients (AWS SDK v2, aws-cli old and new): what its policy allows
 * works, the rest is AccessDenied; bucket policies (anonymous read of a prefix, explicit deny over
 * an allow, TLS required); malformed policies refused with a reason; keys and users deactivated
 * take effect on the next request; repeated bad signatures lock a key out.
 */
class AccessPolicyIT {
  private static final String BUCKET = "archives";
  private static ServerProcess server;
  private static Identities ids;
  private static Identities.Key adminKey;
  private static Identities.Key readerKey;
  private static S3Client admin;
  private static S3Client reader;

  // The reader may list and read under public/ and its own home, nothing else.
  private static final String READER_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::archives",
         "Condition": {"StringLike": {"s3:prefix": ["public/*", "home/${aws:username}/*"]}}},
        {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject"],
         "Resource": ["arn:aws:s3:::archives/public/*", "arn:aws:s3:::archives/home/${aws:username}/*"]},
        {"Sid": "WriteHome", "Effect": "Allow", "Action": "s3:PutObject",
         "Resource": "arn:aws:s3:::archives/home/${aws:username}/*"}
      ]}""";

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
    ids = new Identities(server);
    ids.tenant("mairie");
    adminKey = ids.user("mairie", "archivist", Identities.FULL_ACCESS);
    readerKey = ids.user("mairie", "reader", READER_POLICY);
    admin = adminKey.client(server);
    reader = readerKey.client(server);
    admin.createBucket(b -> b.bucket(BUCKET));
    for (String k : List.of("public/notice.txt", "private/payroll.txt", "home/reader/draft.txt")) {
      admin.putObject(b -> b.bucket(BUCKET).key(k), RequestBody.fromString("content of " + k));
    }
  }

  @AfterAll
  static void stop() {
    admin.close();
    reader.close();
    server.close();
  }

  private static String code(Throwable t) {
    return ((S3Exception) t).awsErrorDetails().errorCode();
  }

  private static void denied(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(code(e)).isEqualTo("AccessDenied");
            });
  }

  @Test
  void restrictedUser_sdk_allowedWorksOthersDenied() {
    assertThat(
            reader.getObjectAsBytes(b -> b.bucket(BUCKET).key("public/notice.txt")).asUtf8String())
        .isEqualTo("content of public/notice.txt");
    assertThat(
            reader
                .getObjectAsBytes(b -> b.bucket(BUCKET).key("home/reader/draft.txt"))
                .asUtf8String())
        .isEqualTo("content of home/reader/draft.txt");
    assertThat(reader.listObjectsV2(b -> b.bucket(BUCKET).prefix("public/")).contents())
        .extracting(o -> o.key())
        .containsExactly("public/notice.txt");
    reader.putObject(
        b -> b.bucket(BUCKET).key("home/reader/new.txt"), RequestBody.fromString("mine"));

    denied(() -> reader.getObjectAsBytes(b -> b.bucket(BUCKET).key("private/payroll.txt")));
    denied(() -> reader.listObjectsV2(b -> b.bucket(BUCKET)));
    denied(() -> reader.listObjectsV2(b -> b.bucket(BUCKET).prefix("private/")));
    denied(
        () ->
            reader.putObject(
                b -> b.bucket(BUCKET).key("public/defaced.txt"), RequestBody.fromString("x")));
    denied(
        () ->
            reader.putObject(
                b -> b.bucket(BUCKET).key("home/other/x.txt"), RequestBody.fromString("x")));
    denied(() -> reader.deleteObject(b -> b.bucket(BUCKET).key("public/notice.txt")));
    denied(() -> reader.createBucket(b -> b.bucket("reader-own")));
    denied(() -> reader.getBucketPolicy(b -> b.bucket(BUCKET)));
    assertThat(
            admin.getObjectAsBytes(b -> b.bucket(BUCKET).key("public/notice.txt")).asUtf8String())
        .isEqualTo("content of public/notice.txt");
  }

  @Test
  void restrictedUser_awsCli_oldAndNew(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("up.txt");
    Files.writeString(file, "from aws-cli");
    int clis = 0;
    for (String aws :
        List.of(System.getenv().getOrDefault("COFFRE_IT_OLD_AWS", "/usr/bin/aws"), "aws")) {
      Run get;
      try {
        get = aws(aws, readerKey, "s3", "cp", "s3://" + BUCKET + "/public/notice.txt", "-");
      } catch (java.io.IOException e) {
        continue; // this aws-cli is not installed
      }
      clis++;
      assertThat(get.code()).as(aws + ": " + get.out()).isZero();
      assertThat(get.out()).contains("content of public/notice.txt");
      Run put =
          aws(
              aws,
              readerKey,
              "s3",
              "cp",
              file.toString(),
              "s3://" + BUCKET + "/public/from-cli.txt");
      assertThat(put.code()).as(aws).isNotZero();
      assertThat(put.out()).contains("AccessDenied");
      Run home =
          aws(
              aws,
              readerKey,
              "s3",
              "cp",
              file.toString(),
              "s3://" + BUCKET + "/home/reader/from-cli-" + clis);
      assertThat(home.code()).as(aws + ": " + home.out()).isZero();
      Run list = aws(aws, readerKey, "s3", "ls", "s3://" + BUCKET + "/private/");
      assertThat(list.code()).as(aws).isNotZero();
      assertThat(list.out()).contains("AccessDenied");
    }
    assumeTrue(clis > 0, "no aws-cli installed");
  }

  @Test
  void bucketPolicy_anonymousPrefix_explicitDeny_andTls() throws Exception {
    S3Client owner = ids.user("mairie", "webmaster", Identities.FULL_ACCESS).client(server);
    owner.createBucket(b -> b.bucket("site"));
    owner.putObject(
        b -> b.bucket("site").key("www/index.html"), RequestBody.fromString("<h1>Mairie</h1>"));
    owner.putObject(
        b -> b.bucket("site").key("internal/plan.txt"), RequestBody.fromString("internal"));
    owner.putBucketPolicy(
        b ->
            b.bucket("site")
                .policy(
                    """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "PublicWww", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
           "Resource": "arn:aws:s3:::site/www/*"},
          {"Sid": "NoDeletes", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:DeleteObject",
           "Resource": "arn:aws:s3:::site/*"}
        ]}"""));
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> pub =
        http.send(
            HttpRequest.newBuilder(server.endpoint().resolve("/site/www/index.html")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(pub.statusCode()).isEqualTo(200);
    assertThat(pub.body()).isEqualTo("<h1>Mairie</h1>");
    HttpResponse<String> internal =
        http.send(
            HttpRequest.newBuilder(server.endpoint().resolve("/site/internal/plan.txt")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(internal.statusCode()).isEqualTo(403);
    assertThat(internal.body()).doesNotContain("internal</");
    // Anonymous listing was not granted.
    assertThat(
            http.send(
                    HttpRequest.newBuilder(server.endpoint().resolve("/site")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(403);
    // The explicit Deny beats the owner's user's Allow s3:*.
    denied(() -> owner.deleteObject(b -> b.bucket("site").key("www/index.html")));
    assertThat(owner.getBucketPolicy(b -> b.bucket("site")).policy()).contains("NoDeletes");
    // Requiring TLS: over this plain-HTTP listener every request is then refused, the owner's too,
    // except changing the policy by the tenant's root (not a user: this one is refused as well).
    owner.putBucketPolicy(
        b ->
            b.bucket("site")
                .policy(
                    """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::site", "arn:aws:s3:::site/*"],
           "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}"""));
    denied(() -> owner.getObjectAsBytes(b -> b.bucket("site").key("www/index.html")));
    denied(() -> owner.deleteBucketPolicy(b -> b.bucket("site")));
    owner.close();
  }

  @Test
  void malformedPolicies_areRefusedWithTheReason() throws Exception {
    record Case(String policy, String message) {}
    List<Case> cases =
        List.of(
            new Case(
                "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\","
                    + " \"Resource\": \"arn:aws:s3:::other/*\"}]}",
                "other"),
            new Case(
                "{\"Statement\": [{\"Effect\": \"allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\","
                    + " \"Resource\": \"arn:aws:s3:::archives/*\"}]}",
                "Effect"),
            new Case(
                "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\","
                    + " \"Resource\": \"arn:aws:s3:::archives/*\", \"Condition\": {\"StringEqualz\": {\"s3:prefix\": \"a\"}}}]}",
                "StringEqualz"),
            new Case(
                "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\","
                    + " \"Resource\": \"arn:aws:s3:::archives/*\"}]}",
                "Principal"),
            new Case("{\"Statement\": [", "JSON"),
            new Case(
                "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\","
                    + " \"Resource\": \"arn:aws:s3:::archives/*\", \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.300/8\"}}}]}",
                "10.0.0.300"));
    for (Case c : cases) {
      assertThatThrownBy(() -> admin.putBucketPolicy(b -> b.bucket(BUCKET).policy(c.policy())))
          .as(c.policy())
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(code(e)).isEqualTo("MalformedPolicy");
                assertThat(e.awsErrorDetails().errorMessage()).containsIgnoringCase(c.message());
              });
    }
    assertThatThrownBy(() -> admin.getBucketPolicy(b -> b.bucket(BUCKET)))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(code(e)).isEqualTo("NoSuchBucketPolicy"));
    // Identity policies are checked the same way by the admin API.
    ServerProcess.Admin bad =
        server.admin(
            "PUT",
            "tenants/mairie/users/reader/policies/broken",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"ec2:RunInstances\", \"Resource\": \"*\"}]}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("MalformedPolicy", "ec2:RunInstances");
  }

  @Test
  void deactivatedKeyOrDisabledUser_isRefusedOnTheNextRequest() throws Exception {
    Identities.Key temp = ids.user("mairie", "temp", Identities.FULL_ACCESS);
    try (S3Client c = temp.client(server)) {
      assertThat(c.listBuckets().buckets()).extracting(b -> b.name()).contains(BUCKET);
      ids.call(200, "POST", "access-keys/" + temp.id() + "/deactivate", null);
      assertThatThrownBy(c::listBuckets)
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(code(e)).isEqualTo("InvalidAccessKeyId"));
      ids.call(200, "POST", "access-keys/" + temp.id() + "/activate", null);
      assertThat(c.listBuckets().buckets()).isNotEmpty();
      ids.call(200, "POST", "tenants/mairie/users/temp/disable", null);
      assertThatThrownBy(c::listBuckets).isInstanceOf(S3Exception.class);
      ids.call(200, "POST", "tenants/mairie/users/temp/enable", null);
      assertThat(c.listBuckets().buckets()).isNotEmpty();
      ids.call(204, "DELETE", "tenants/mairie/users/temp", null);
      assertThatThrownBy(c::listBuckets)
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(code(e)).isEqualTo("InvalidAccessKeyId"));
    }
  }

  @Test
  void repeatedBadSignatures_lockTheKeyOut_andTheOperatorSeesAndClearsIt() throws Exception {
    Identities.Key victim = ids.user("mairie", "victim", Identities.FULL_ACCESS);
    try (S3Client wrong =
            S3Clients.withKeys(
                server.endpoint(), victim.id(), "not-the-secret-0000000000000000000000");
        S3Client right = victim.client(server)) {
      for (int i = 0; i < 10; i++) {
        assertThatThrownBy(wrong::listBuckets)
            .isInstanceOfSatisfying(
                S3Exception.class, e -> assertThat(code(e)).isEqualTo("SignatureDoesNotMatch"));
      }
      assertThatThrownBy(right::listBuckets)
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(code(e)).isEqualTo("AccessDenied");
                assertThat(e.awsErrorDetails().errorMessage()).contains("locked");
              });
      ServerProcess.Admin list = server.admin("GET", "lockouts", null);
      assertThat(list.body()).contains(victim.id(), "lockedUntil");
      assertThat(server.admin("GET", "access-keys/" + victim.id(), null).body())
          .contains("lockedUntil\" : \"");
      assertThat(server.admin("DELETE", "lockouts/" + victim.id(), null).status()).isEqualTo(204);
      assertThat(right.listBuckets().buckets()).isNotEmpty();
    }
    assertThat(Files.readString(server.log()))
        .contains("access key " + victim.id() + " locked until");
  }

  @Test
  void auditorQuestions_answeredByTheApiAndTheCli(@TempDir Path dir) throws Exception {
    var who = ids.call(200, "GET", "buckets/" + BUCKET + "/access", null);
    String text = who.toString();
    assertThat(text)
        .contains(
            "user/archivist", "user/reader", "arn:aws:s3:::archives/public/*", "s3:GetObject");
    // The reader's home grant is shown on its own resource, with the variable resolved.
    assertThat(text).contains("arn:aws:s3:::archives/home/reader/*");
    var what = ids.call(200, "GET", "tenants/mairie/users/reader/access", null);
    assertThat(what.get("buckets").toString()).contains(BUCKET).doesNotContain("\"site\"");
    assertThat(what.get("policies").has("main")).isTrue();

    var env = new java.util.HashMap<String, String>();
    env.put("COFFRE_ADMIN_URL", server.adminEndpoint().toString());
    env.put("COFFRE_ADMIN_TOKEN", ServerProcess.ADMIN_TOKEN);
    Path review = dir.resolve("review.json");
    ServerProcess.Admin export =
        ServerProcess.cli(
            env, "admin", "tenants", "access-review", "mairie", "--out", review.toString());
    assertThat(export.status()).as(export.body()).isZero();
    var json = Identities.JSON.readTree(Files.readString(review, StandardCharsets.UTF_8));
    assertThat(json.get("tenant").asText()).isEqualTo("mairie");
    assertThat(json.get("users").toString()).contains("archivist", "reader");
    assertThat(json.get("accessKeys").toString())
        .contains(readerKey.id())
        .doesNotContain(readerKey.secret());
    ServerProcess.Admin cliWho =
        ServerProcess.cli(env, "admin", "buckets", "access", BUCKET, "--json");
    assertThat(cliWho.status()).isZero();
    assertThat(cliWho.body()).contains("user/reader");
  }

  private record Run(int code, String out) {}

  private static Run aws(String aws, Identities.Key key, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(aws, "--endpoint-url", server.endpoint().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("AWS_CA_BUNDLE");
    pb.environment().put("AWS_ACCESS_KEY_ID", key.id());
    pb.environment().put("AWS_SECRET_ACCESS_KEY", key.secret());
    pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
    pb.environment().put("AWS_CONFIG_FILE", "/nonexistent");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out);
  }
}
