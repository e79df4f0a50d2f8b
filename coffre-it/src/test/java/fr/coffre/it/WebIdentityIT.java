package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Issue #23: STS AssumeRoleWithWebIdentity with tokens of an OIDC issuer that Coffre trusts through
 * a static JWKS ({@code auth.web-identity}). The tokens are real JWTs signed by a key this test
 * generates (nimbus-jose-jwt); the server is a real process; the clients are the AWS SDK's
 * StsClient and aws-cli, then S3 with the temporary credentials. Expired token, wrong audience,
 * wrong issuer, tampered signature and {@code alg: none} are all refused; the credentials end with
 * the token.
 */
class WebIdentityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ISSUER = "https://idp.example.test/realms/mairie";
  private static final String PROVIDER = "idp.example.test/realms/mairie";
  private static final String SIRET = "21750001600019";
  @TempDir static Path work;
  private static ServerProcess server;
  private static RSAKey key;
  private static String roleArn;

  @BeforeAll
  static void start() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    Path jwks = work.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    Path config = work.resolve("coffre.yaml");
    Files.writeString(
        config,
        "auth:\n"
            + "  web-identity:\n"
            + "    issuer: "
            + ISSUER
            + "\n"
            + "    jwks-file: "
            + jwks
            + "\n"
            + "    client-ids: [coffre]\n");
    server = ServerProcess.start("512m", "--config", config.toString());
    Identities ids = new Identities(server);
    String account = ids.tenant("mairie");
    Identities.Key admin =
        ids.user(
            "mairie",
            "admin",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}");
    try (S3Client s3 = admin.client(server)) {
      s3.createBucket(b -> b.bucket("agents"));
    }
    // The tenant's role for its agents: the issuer, this audience, this organisation (siret).
    String trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Federated\":\"arn:aws:iam::"
            + account
            + ":oidc-provider/"
            + PROVIDER
            + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\""
            + PROVIDER
            + ":aud\":\"coffre\",\""
            + PROVIDER
            + ":siret\":\""
            + SIRET
            + "\"}}}]}";
    ids.call(
        201,
        "POST",
        "tenants/mairie/users",
        "{\"name\":\"unused\"}"); // a user, so the tenant has someone; roles need none
    roleArn = "arn:aws:iam::" + account + ":role/agent";
    // Roles are made through the tenant's own IAM API.
    Map<String, String> form =
        Map.of(
            "Action", "CreateRole",
            "RoleName", "agent",
            "AssumeRolePolicyDocument", trust);
    assertThat(iam(admin, form)).contains("CreateRoleResult");
    assertThat(
            iam(
                admin,
                Map.of(
                    "Action",
                    "PutRolePolicy",
                    "RoleName",
                    "agent",
                    "PolicyName",
                    "depot",
                    "PolicyDocument",
                    "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:GetObject\"],\"Resource\":\"arn:aws:s3:::agents/*\"}]}")))
        .contains("PutRolePolicyResponse");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * An IAM call signed with the SDK's SigV4 signer through the IamClient would need a model per
   * action; aws-cli is used instead.
   */
  private static String iam(Identities.Key as, Map<String, String> form)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of("/usr/bin/aws", "--endpoint-url", server.endpoint().toString(), "iam"));
    String action = form.get("Action");
    cmd.add(action.equals("CreateRole") ? "create-role" : "put-role-policy");
    cmd.addAll(List.of("--role-name", form.get("RoleName")));
    if (action.equals("CreateRole")) {
      cmd.addAll(List.of("--assume-role-policy-document", form.get("AssumeRolePolicyDocument")));
    } else {
      cmd.addAll(
          List.of(
              "--policy-name", form.get("PolicyName"),
              "--policy-document", form.get("PolicyDocument")));
    }
    Result r = run(cmd, Map.of("AWS_ACCESS_KEY_ID", as.id(), "AWS_SECRET_ACCESS_KEY", as.secret()));
    assertThat(r.code()).as(r.output()).isZero();
    return action.equals("CreateRole") ? "CreateRoleResult " + r.output() : "PutRolePolicyResponse";
  }

  record Result(int code, String output) {}

  private static Result run(List<String> cmd, Map<String, String> vars)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", work.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-credentials").toString());
    env.putAll(vars);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  private static String token(Consumer<JWTClaimsSet.Builder> change) throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject("agent-42")
            .audience("coffre")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(600)))
            .claim("siret", SIRET)
            .claim("email", "agent@mairie.example");
    change.accept(claims);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims.build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static StsClient sts() {
    return StsClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .build();
  }

  private static Credentials assume(StsClient sts, String token) {
    return sts.assumeRoleWithWebIdentity(
            b -> b.roleArn(roleArn).roleSessionName("agent-42").webIdentityToken(token))
        .credentials();
  }

  private static String refusal(String token) {
    try (StsClient sts = sts()) {
      assume(sts, token);
    } catch (StsException e) {
      return e.awsErrorDetails().errorCode();
    }
    return "accepted";
  }

  private static S3Client s3(Credentials c) {
    return S3Clients.withCredentials(
        server.endpoint(),
        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
  }

  @Test
  void sdk_tokenOfTheTrustedIssuer_givesCredentialsBoundToTheRole() throws Exception {
    String token = token(b -> {});
    try (StsClient sts = sts()) {
      var answer =
          sts.assumeRoleWithWebIdentity(
              b -> b.roleArn(roleArn).roleSessionName("agent-42").webIdentityToken(token));
      assertThat(answer.subjectFromWebIdentityToken()).isEqualTo("agent-42");
      assertThat(answer.audience()).isEqualTo("coffre");
      assertThat(answer.provider()).isEqualTo(PROVIDER);
      assertThat(answer.assumedRoleUser().arn()).endsWith(":assumed-role/agent/agent-42");
      Credentials c = answer.credentials();
      // Never beyond the token's exp (600 s here, less than the role's hour).
      assertThat(c.expiration()).isBefore(Instant.now().plusSeconds(601));
      try (S3Client s3 = s3(c)) {
        s3.putObject(b -> b.bucket("agents").key("note.txt"), RequestBody.fromString("bonjour"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("agents").key("note.txt")).asUtf8String())
            .isEqualTo("bonjour");
        assertThatThrownBy(() -> s3.listBuckets())
            .isInstanceOfSatisfying(
                S3Exception.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
      }
    }
  }

  @Test
  void badTokens_allRefused() throws Exception {
    assertThat(refusal(token(b -> b.expirationTime(Date.from(Instant.now().minusSeconds(300))))))
        .isEqualTo("ExpiredTokenException");
    assertThat(refusal(token(b -> b.audience("another-client")))).isEqualTo("InvalidIdentityToken");
    assertThat(refusal(token(b -> b.issuer("https://evil.example.test/realms/mairie"))))
        .isEqualTo("InvalidIdentityToken");
    String good = token(b -> {});
    String[] parts = good.split("\\.");
    String tampered =
        parts[0]
            + "."
            + parts[1]
            + "."
            + (parts[2].charAt(0) == 'A' ? 'B' : 'A')
            + parts[2].substring(1);
    assertThat(refusal(tampered)).isEqualTo("InvalidIdentityToken");
    // Same claims, another payload under the genuine signature.
    String swapped =
        parts[0]
            + "."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    new String(
                            java.util.Base64.getUrlDecoder().decode(parts[1]),
                            StandardCharsets.UTF_8)
                        .replace("agent-42", "agent-43")
                        .getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertThat(refusal(swapped)).isEqualTo("InvalidIdentityToken");
    String none =
        new PlainJWT(
                new JWTClaimsSet.Builder()
                    .issuer(ISSUER)
                    .subject("agent-42")
                    .audience("coffre")
                    .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                    .claim("siret", SIRET)
                    .build())
            .serialize();
    assertThat(refusal(none)).isEqualTo("InvalidIdentityToken");
    // A genuine token of another organisation: the trust policy's condition refuses it.
    assertThat(refusal(token(b -> b.claim("siret", "13002526500013")))).isEqualTo("AccessDenied");
  }

  @Test
  void awsCli_assumeRoleWithWebIdentity_thenS3_untilTheTokenExpires() throws Exception {
    String shortLived = token(b -> b.expirationTime(Date.from(Instant.now().plusSeconds(20))));
    Result r =
        run(
            List.of(
                "/usr/bin/aws",
                "--endpoint-url",
                server.endpoint().toString(),
                "--output",
                "json",
                "sts",
                "assume-role-with-web-identity",
                "--role-arn",
                roleArn,
                "--role-session-name",
                "cli",
                "--web-identity-token",
                shortLived),
            Map.of());
    assertThat(r.code()).as(r.output()).isZero();
    JsonNode c = JSON.readTree(r.output()).get("Credentials");
    Map<String, String> asAgent =
        Map.of(
            "AWS_ACCESS_KEY_ID", c.get("AccessKeyId").asText(),
            "AWS_SECRET_ACCESS_KEY", c.get("SecretAccessKey").asText(),
            "AWS_SESSION_TOKEN", c.get("SessionToken").asText());
    Path file = work.resolve("cli.txt");
    Files.writeString(file, "depuis aws-cli");
    Result cp =
        run(
            List.of(
                "/usr/bin/aws",
                "--endpoint-url",
                server.endpoint().toString(),
                "s3",
                "cp",
                file.toString(),
                "s3://agents/cli.txt"),
            asAgent);
    assertThat(cp.code()).as(cp.output()).isZero();
    // The credentials end with the token.
    Instant end = Instant.parse(c.get("Expiration").asText());
    while (Instant.now().isBefore(end.plusSeconds(1))) {
      Thread.sleep(500);
    }
    Result late =
        run(
            List.of(
                "/usr/bin/aws",
                "--endpoint-url",
                server.endpoint().toString(),
                "s3",
                "ls",
                "s3://agents/"),
            asAgent);
    assertThat(late.code()).isNotZero();
    assertThat(late.output()).contains("ExpiredToken");
  }
}
