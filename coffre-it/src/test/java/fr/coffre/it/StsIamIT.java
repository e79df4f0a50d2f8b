package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Issue #23: tenants administer themselves through the IAM query API, and STS hands out temporary
 * credentials bound to a role's policies. A real server process; aws-cli ({@code aws iam}, {@code
 * aws sts assume-role}, {@code aws s3 cp} with {@code AWS_SESSION_TOKEN}) and the AWS SDK's
 * IamClient, StsClient and S3Client, unchanged.
 */
class StsIamIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ServerProcess server;
  private static Identities ids;
  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start();
    ids = new Identities(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Result(int code, String output) {
    JsonNode json() throws IOException {
      return JSON.readTree(output);
    }
  }

  private static Result aws(Map<String, String> credentials, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("/usr/bin/aws");
    cmd.add("--endpoint-url");
    cmd.add(server.endpoint().toString());
    cmd.add("--output");
    cmd.add("json");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", work.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-credentials").toString());
    env.putAll(credentials);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  private static Map<String, String> env(String key, String secret) {
    Map<String, String> m = new HashMap<>();
    m.put("AWS_ACCESS_KEY_ID", key);
    m.put("AWS_SECRET_ACCESS_KEY", secret);
    return m;
  }

  private static String allow(String action, String resource) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
        + action
        + ",\"Resource\":"
        + resource
        + "}]}";
  }

  private static final String ADMIN_POLICY = allow("\"*\"", "\"*\"");

  @Test
  void awsCli_tenantAdminRunsUsersAndRoles_userAssumesRole_s3WithSessionToken() throws Exception {
    String account = ids.tenant("ville");
    Identities.Key admin = ids.user("ville", "admin", ADMIN_POLICY);
    Map<String, String> asAdmin = env(admin.id(), admin.secret());

    Result created = aws(asAdmin, "iam", "create-user", "--user-name", "bob");
    assertThat(created.code()).as(created.output()).isZero();
    assertThat(created.json().at("/User/Arn").asText())
        .isEqualTo("arn:aws:iam::" + account + ":user/bob");
    Result again = aws(asAdmin, "iam", "create-user", "--user-name", "bob");
    assertThat(again.code()).isNotZero();
    assertThat(again.output()).contains("EntityAlreadyExists");

    Result key = aws(asAdmin, "iam", "create-access-key", "--user-name", "bob");
    assertThat(key.code()).as(key.output()).isZero();
    String bobKey = key.json().at("/AccessKey/AccessKeyId").asText();
    String bobSecret = key.json().at("/AccessKey/SecretAccessKey").asText();
    Result keys = aws(asAdmin, "iam", "list-access-keys", "--user-name", "bob");
    assertThat(keys.json().at("/AccessKeyMetadata/0/AccessKeyId").asText()).isEqualTo(bobKey);
    assertThat(keys.output()).doesNotContain(bobSecret);

    String roleArn = "arn:aws:iam::" + account + ":role/uploader";
    String assume = allow("\"sts:AssumeRole\"", "\"" + roleArn + "\"");
    Result put =
        aws(
            asAdmin,
            "iam",
            "put-user-policy",
            "--user-name",
            "bob",
            "--policy-name",
            "assume",
            "--policy-document",
            assume);
    assertThat(put.code()).as(put.output()).isZero();
    Result got =
        aws(asAdmin, "iam", "get-user-policy", "--user-name", "bob", "--policy-name", "assume");
    assertThat(got.code()).as(got.output()).isZero();
    assertThat(got.json().at("/PolicyDocument/Statement/0/Resource").asText()).isEqualTo(roleArn);
    Result bad =
        aws(
            asAdmin,
            "iam",
            "put-user-policy",
            "--user-name",
            "bob",
            "--policy-name",
            "broken",
            "--policy-document",
            "{\"Statement\":");
    assertThat(bad.output()).contains("MalformedPolicyDocument");
    Result users = aws(asAdmin, "iam", "list-users");
    assertThat(users.json().at("/Users").findValuesAsText("UserName"))
        .containsExactly("admin", "bob");

    String trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + account
            + ":user/bob\"},\"Action\":\"sts:AssumeRole\"}]}";
    Result role =
        aws(
            asAdmin,
            "iam",
            "create-role",
            "--role-name",
            "uploader",
            "--assume-role-policy-document",
            trust,
            "--max-session-duration",
            "7200");
    assertThat(role.code()).as(role.output()).isZero();
    assertThat(role.json().at("/Role/Arn").asText()).isEqualTo(roleArn);
    Result rolePolicy =
        aws(
            asAdmin,
            "iam",
            "put-role-policy",
            "--role-name",
            "uploader",
            "--policy-name",
            "depot",
            "--policy-document",
            allow(
                "[\"s3:PutObject\",\"s3:GetObject\",\"s3:ListBucket\"]",
                "[\"arn:aws:s3:::depot\",\"arn:aws:s3:::depot/*\"]"));
    assertThat(rolePolicy.code()).as(rolePolicy.output()).isZero();
    assertThat(aws(asAdmin, "iam", "list-roles").json().at("/Roles/0/RoleName").asText())
        .isEqualTo("uploader");
    try (S3Client s3 = admin.client(server)) {
      s3.createBucket(b -> b.bucket("depot"));
      s3.createBucket(b -> b.bucket("archives"));
    }

    // Bob is not an administrator.
    Map<String, String> asBob = env(bobKey, bobSecret);
    Result denied = aws(asBob, "iam", "create-user", "--user-name", "mallory");
    assertThat(denied.code()).isNotZero();
    assertThat(denied.output()).contains("AccessDenied");

    Result assumed =
        aws(
            asBob,
            "sts",
            "assume-role",
            "--role-arn",
            roleArn,
            "--role-session-name",
            "cli",
            "--duration-seconds",
            "900");
    assertThat(assumed.code()).as(assumed.output()).isZero();
    JsonNode c = assumed.json().get("Credentials");
    assertThat(c.get("AccessKeyId").asText()).startsWith("ASIA");
    assertThat(assumed.json().at("/AssumedRoleUser/Arn").asText())
        .isEqualTo("arn:aws:sts::" + account + ":assumed-role/uploader/cli");
    Map<String, String> asRole =
        env(c.get("AccessKeyId").asText(), c.get("SecretAccessKey").asText());
    asRole.put("AWS_SESSION_TOKEN", c.get("SessionToken").asText());

    Path file = work.resolve("rapport.txt");
    Files.writeString(file, "rapport annuel");
    Result cp = aws(asRole, "s3", "cp", file.toString(), "s3://depot/rapport.txt");
    assertThat(cp.code()).as(cp.output()).isZero();
    Result back = aws(asRole, "s3", "cp", "s3://depot/rapport.txt", "-");
    assertThat(back.output()).isEqualTo("rapport annuel");
    // The role's policy is all it has.
    Result elsewhere = aws(asRole, "s3", "cp", file.toString(), "s3://archives/rapport.txt");
    assertThat(elsewhere.code()).isNotZero();
    assertThat(elsewhere.output()).contains("AccessDenied");
    Result who = aws(asRole, "sts", "get-caller-identity");
    assertThat(who.json().get("Arn").asText())
        .isEqualTo("arn:aws:sts::" + account + ":assumed-role/uploader/cli");
    // Without its session token the key is unknown; with another one it is refused.
    Map<String, String> noToken = new HashMap<>(asRole);
    noToken.remove("AWS_SESSION_TOKEN");
    assertThat(aws(noToken, "s3", "ls", "s3://depot").output()).contains("InvalidAccessKeyId");
    Map<String, String> wrongToken = new HashMap<>(asRole);
    wrongToken.put("AWS_SESSION_TOKEN", "not-" + c.get("SessionToken").asText());
    assertThat(aws(wrongToken, "s3", "ls", "s3://depot").output()).contains("InvalidToken");

    // A user the trust policy does not name is refused, even with sts:AssumeRole of its own.
    Identities.Key carol = ids.user("ville", "carol", assume);
    Result refused =
        aws(
            env(carol.id(), carol.secret()),
            "sts",
            "assume-role",
            "--role-arn",
            roleArn,
            "--role-session-name",
            "carol");
    assertThat(refused.code()).isNotZero();
    assertThat(refused.output()).contains("AccessDenied");
    // Above the role's maximum: refused.
    Result tooLong =
        aws(
            asBob,
            "sts",
            "assume-role",
            "--role-arn",
            roleArn,
            "--role-session-name",
            "long",
            "--duration-seconds",
            "7201");
    assertThat(tooLong.code()).isNotZero();
    assertThat(tooLong.output()).contains("ValidationError");

    // Deleting the role ends its sessions at once.
    assertThat(aws(asAdmin, "iam", "delete-role", "--role-name", "uploader").code()).isZero();
    assertThat(aws(asRole, "s3", "ls", "s3://depot").code()).isNotZero();

    // Everything in the tenant's own chain, and no secret in it.
    ServerProcess.Admin export = server.admin("GET", "audit/ville", null);
    assertThat(export.status()).isEqualTo(200);
    List<String> seen = new ArrayList<>();
    for (String line : export.body().split("\n")) {
      if (!line.isBlank()) {
        JsonNode r = JSON.readTree(line);
        seen.add(r.path("source").asText() + ":" + r.path("operation").asText());
      }
    }
    assertThat(seen)
        .contains(
            "iam:CreateUser",
            "iam:CreateAccessKey",
            "iam:PutUserPolicy",
            "iam:CreateRole",
            "sts:AssumeRole",
            "iam:DeleteRole");
    assertThat(export.body())
        .doesNotContain(bobSecret)
        .doesNotContain(c.get("SessionToken").asText());
  }

  @Test
  void sdk_managedPoliciesGroupsAndRoles_assumeRoleLimitsWhatCredentialsDo() throws Exception {
    String account = ids.tenant("hopital");
    Identities.Key admin = ids.user("hopital", "admin", ADMIN_POLICY);
    URI endpoint = server.endpoint();
    try (IamClient iam =
            IamClient.builder()
                .endpointOverride(endpoint)
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(admin.id(), admin.secret())))
                .build();
        S3Client adminS3 = admin.client(server)) {
      adminS3.createBucket(b -> b.bucket("dossiers"));
      adminS3.putObject(b -> b.bucket("dossiers").key("patient.txt"), RequestBody.fromString("x"));
      iam.createUser(b -> b.userName("dana"));
      String readOnly =
          iam.createPolicy(
                  b ->
                      b.policyName("ReadDossiers")
                          .policyDocument(
                              allow(
                                  "[\"s3:GetObject\",\"s3:ListBucket\"]",
                                  "[\"arn:aws:s3:::dossiers\",\"arn:aws:s3:::dossiers/*\"]")))
              .policy()
              .arn();
      assertThat(readOnly).isEqualTo("arn:aws:iam::" + account + ":policy/ReadDossiers");
      assertThatThrownBy(
              () ->
                  iam.createPolicy(
                      b ->
                          b.policyName("ReadDossiers")
                              .policyDocument(allow("\"s3:GetObject\"", "\"*\""))))
          .isInstanceOf(EntityAlreadyExistsException.class);
      assertThatThrownBy(() -> iam.createPolicy(b -> b.policyName("Broken").policyDocument("[1]")))
          .isInstanceOf(MalformedPolicyDocumentException.class);
      assertThatThrownBy(() -> iam.getUser(b -> b.userName("nobody")))
          .isInstanceOf(NoSuchEntityException.class);

      // A group's policies reach its members.
      iam.createGroup(b -> b.groupName("soignants"));
      iam.addUserToGroup(b -> b.groupName("soignants").userName("dana"));
      iam.putGroupPolicy(
          b ->
              b.groupName("soignants")
                  .policyName("assume")
                  .policyDocument(allow("\"sts:AssumeRole\"", "\"*\"")));
      iam.createRole(
          b ->
              b.roleName("lecteur")
                  .assumeRolePolicyDocument(
                      "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                          + account
                          + "\"},\"Action\":\"sts:AssumeRole\"}]}"));
      iam.attachRolePolicy(b -> b.roleName("lecteur").policyArn(readOnly));
      var key = iam.createAccessKey(b -> b.userName("dana")).accessKey();
      // Dana has no S3 right of her own, only the role's through STS.
      iam.attachUserPolicy(b -> b.userName("dana").policyArn(readOnly));
      assertThat(
              iam.listAttachedUserPolicies(b -> b.userName("dana"))
                  .attachedPolicies()
                  .get(0)
                  .policyName())
          .isEqualTo("ReadDossiers");
      iam.detachUserPolicy(b -> b.userName("dana").policyArn(readOnly));
      assertThat(iam.listAttachedUserPolicies(b -> b.userName("dana")).attachedPolicies())
          .isEmpty();

      try (StsClient sts =
          StsClient.builder()
              .endpointOverride(endpoint)
              .region(Region.US_EAST_1)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())))
              .build()) {
        GetCallerIdentityResponse me = sts.getCallerIdentity();
        assertThat(me.arn()).isEqualTo("arn:aws:iam::" + account + ":user/dana");
        assertThat(me.account()).isEqualTo(account);
        AssumeRoleResponse r =
            sts.assumeRole(
                b ->
                    b.roleArn("arn:aws:iam::" + account + ":role/lecteur")
                        .roleSessionName("garde")
                        .durationSeconds(900));
        Credentials c = r.credentials();
        assertThat(c.expiration()).isAfter(java.time.Instant.now().plusSeconds(800));
        try (S3Client asRole =
            S3Clients.withCredentials(
                endpoint,
                AwsSessionCredentials.create(
                    c.accessKeyId(), c.secretAccessKey(), c.sessionToken()))) {
          assertThat(
                  asRole
                      .getObjectAsBytes(b -> b.bucket("dossiers").key("patient.txt"))
                      .asUtf8String())
              .isEqualTo("x");
          // A presigned URL carries the session token in X-Amz-Security-Token.
          try (S3Presigner presigner =
              S3Presigner.builder()
                  .endpointOverride(endpoint)
                  .region(Region.US_EAST_1)
                  .credentialsProvider(
                      StaticCredentialsProvider.create(
                          AwsSessionCredentials.create(
                              c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                  .serviceConfiguration(
                      S3Configuration.builder().pathStyleAccessEnabled(true).build())
                  .build()) {
            URI url =
                presigner
                    .presignGetObject(
                        b ->
                            b.signatureDuration(Duration.ofMinutes(5))
                                .getObjectRequest(g -> g.bucket("dossiers").key("patient.txt")))
                    .url()
                    .toURI();
            assertThat(url.getRawQuery()).contains("X-Amz-Security-Token=");
            HttpResponse<String> got =
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).isEqualTo("x");
            URI forged =
                URI.create(
                    url.toString().replace("X-Amz-Security-Token=", "X-Amz-Security-Token=x"));
            HttpResponse<String> refused =
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(forged).build(),
                        HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("<Code>InvalidToken</Code>");
          }
          // A browser form upload signed with the temporary credentials carries the token as a
          // form field; the role may not write, so a genuine form is refused after its signature
          // holds (AccessDenied), and one with another token before (InvalidToken).
          assertThat(postForm(c, c.sessionToken()))
              .startsWith("HTTP/1.1 403")
              .contains("AccessDenied");
          assertThat(postForm(c, c.sessionToken() + "x"))
              .startsWith("HTTP/1.1 400")
              .contains("InvalidToken");
          assertThatThrownBy(
                  () ->
                      asRole.putObject(
                          b -> b.bucket("dossiers").key("ecrit.txt"), RequestBody.fromString("y")))
              .isInstanceOfSatisfying(
                  S3Exception.class,
                  e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
        }
        assertThatThrownBy(
                () ->
                    sts.assumeRole(
                        b ->
                            b.roleArn("arn:aws:iam::" + account + ":role/absent")
                                .roleSessionName("garde")))
            .isInstanceOfSatisfying(
                StsException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
      }
    }
  }

  /** A browser form upload (POST policy, SigV4 written out here) with temporary credentials. */
  private static String postForm(Credentials c, String token) throws Exception {
    Instant now = Instant.now();
    String day = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(now);
    String date =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now);
    String json =
        "{\"expiration\":\""
            + now.plusSeconds(600).truncatedTo(ChronoUnit.SECONDS)
            + "\",\"conditions\":[{\"bucket\":\"dossiers\"},[\"starts-with\",\"$key\",\"\"],"
            + "{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},[\"starts-with\",\"$x-amz-credential\",\"\"],"
            + "[\"starts-with\",\"$x-amz-date\",\"\"]]}";
    String policy = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    byte[] k = hmac(("AWS4" + c.secretAccessKey()).getBytes(StandardCharsets.UTF_8), day);
    for (String part : List.of("us-east-1", "s3", "aws4_request")) {
      k = hmac(k, part);
    }
    Path file = work.resolve("form.txt");
    Files.writeString(file, "formulaire");
    List<String> cmd =
        List.of(
            "curl",
            "-s",
            "-i",
            "-X",
            "POST",
            server.endpoint() + "/dossiers",
            "-F",
            "key=form.txt",
            "-F",
            "x-amz-algorithm=AWS4-HMAC-SHA256",
            "-F",
            "x-amz-credential=" + c.accessKeyId() + "/" + day + "/us-east-1/s3/aws4_request",
            "-F",
            "x-amz-date=" + date,
            "-F",
            "x-amz-security-token=" + token,
            "-F",
            "policy=" + policy,
            "-F",
            "x-amz-signature=" + HexFormat.of().formatHex(hmac(k, policy)),
            "-F",
            "file=@" + file);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }
}
