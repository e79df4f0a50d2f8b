package fr.coffre.s3.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.auth.SigV4;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class PostPolicyTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  private static String encode(String json) {
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static final String POLICY =
      encode(
          """
      {"expiration": "2026-11-23T12:00:00.000Z", "conditions": [
        {"bucket": "forms"}, ["starts-with", "$key", "user/"], ["eq", "$Content-Type", "image/png"],
        ["content-length-range", 10, 2000], {"success_action_status": "201"}, ["starts-with", "$x-amz-meta-tag", ""]
      ]}""");

  private static Map<String, String> fields(String... kv) {
    Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    m.put("policy", POLICY);
    m.put("key", "user/a.png");
    m.put("content-type", "image/png");
    m.put("success_action_status", "201");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static S3Error error(Runnable r) {
    try {
      r.run();
    } catch (S3Exception e) {
      return e.error();
    }
    return null;
  }

  @Test
  void check_matchingForm_passes_andGivesTheLengthRange() {
    PostPolicy p = PostPolicy.parse(POLICY);
    p.check(
        fields("x-amz-meta-tag", "anything", "x-ignore-me", "1", "x-amz-signature", "s"),
        "forms",
        NOW);
    assertThat(p.minLength()).isEqualTo(10);
    assertThat(p.maxLength()).isEqualTo(2000);
  }

  @Test
  void check_eachFailedCondition_isAccessDenied() {
    PostPolicy p = PostPolicy.parse(POLICY);
    assertThat(error(() -> p.check(fields(), "other-bucket", NOW)))
        .isEqualTo(S3Error.ACCESS_DENIED);
    assertThat(error(() -> p.check(fields("key", "admin/a.png"), "forms", NOW)))
        .isEqualTo(S3Error.ACCESS_DENIED);
    assertThat(error(() -> p.check(fields("content-type", "text/html"), "forms", NOW)))
        .isEqualTo(S3Error.ACCESS_DENIED);
    assertThat(error(() -> p.check(fields("acl", "public-read"), "forms", NOW)))
        .isEqualTo(S3Error.ACCESS_DENIED);
    assertThat(error(() -> p.check(fields(), "forms", Instant.parse("2026-11-23T12:00:00Z"))))
        .isEqualTo(S3Error.ACCESS_DENIED);
  }

  @Test
  void parse_malformedPolicies_areInvalidPolicyDocument() {
    for (String bad :
        new String[] {
          "not base64 !!",
          encode("[]"),
          encode("{\"conditions\": []}"),
          encode("{\"expiration\": \"tomorrow\", \"conditions\": []}"),
          encode(
              "{\"expiration\": \"2026-11-23T12:00:00Z\", \"conditions\": [[\"lt\", \"$key\", \"a\"]]}")
        }) {
      assertThat(error(() -> PostPolicy.parse(bad)))
          .as(bad)
          .isEqualTo(S3Error.INVALID_POLICY_DOCUMENT);
    }
  }

  private static final String SECRET = "form-secret-key-0123";

  @Test
  void signature_v4ComputedIndependently_isAccepted_andTamperingIsRefused() throws Exception {
    byte[] k = hmac("HmacSHA256", ("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), "20261123");
    for (String s : new String[] {"eu-west-3", "s3", "aws4_request"}) {
      k = hmac("HmacSHA256", k, s);
    }
    String sig = HexFormat.of().formatHex(hmac("HmacSHA256", k, POLICY));
    Map<String, String> f =
        fields(
            "x-amz-algorithm",
            SigV4.ALGORITHM,
            "x-amz-credential",
            "FORMKEY/20261123/eu-west-3/s3/aws4_request",
            "x-amz-date",
            "20261123T100000Z",
            "x-amz-signature",
            sig);
    assertThat(PostSignature.verify(f, this::lookup)).isEqualTo("FORMKEY");
    f.put("policy", POLICY.substring(0, POLICY.length() - 4) + "AAA=");
    assertThat(error(() -> PostSignature.verify(f, this::lookup)))
        .isEqualTo(S3Error.SIGNATURE_DOES_NOT_MATCH);
    f.put("policy", POLICY);
    f.put("x-amz-credential", "NOBODY/20261123/eu-west-3/s3/aws4_request");
    assertThat(error(() -> PostSignature.verify(f, this::lookup)))
        .isEqualTo(S3Error.INVALID_ACCESS_KEY_ID);
  }

  @Test
  void signature_v2_isAccepted_andMissingSignatureIsRefused() throws Exception {
    String sig =
        Base64.getEncoder()
            .encodeToString(hmac("HmacSHA1", SECRET.getBytes(StandardCharsets.UTF_8), POLICY));
    assertThat(
            PostSignature.verify(
                fields("AWSAccessKeyId", "FORMKEY", "signature", sig), this::lookup))
        .isEqualTo("FORMKEY");
    assertThat(
            error(
                () ->
                    PostSignature.verify(
                        fields("AWSAccessKeyId", "FORMKEY", "signature", "AAAA"), this::lookup)))
        .isEqualTo(S3Error.SIGNATURE_DOES_NOT_MATCH);
    assertThat(error(() -> PostSignature.verify(fields("AWSAccessKeyId", "FORMKEY"), this::lookup)))
        .isEqualTo(S3Error.INVALID_ARGUMENT);
    Map<String, String> anonymous = fields();
    anonymous.remove("policy");
    assertThatThrownBy(() -> PostSignature.verify(anonymous, this::lookup))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.ACCESS_DENIED));
  }

  private Optional<String> lookup(String accessKey) {
    return accessKey.equals("FORMKEY") ? Optional.of(SECRET) : Optional.empty();
  }

  private static byte[] hmac(String alg, byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance(alg);
    mac.init(new SecretKeySpec(key, alg));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }
}
