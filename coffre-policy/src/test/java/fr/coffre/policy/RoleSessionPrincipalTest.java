package fr.coffre.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bucket policies name role sessions by the role's ARN or the assumed-role ARN. */
class RoleSessionPrincipalTest {
  private static final String OWNER = "123456789012";

  private static boolean allowed(String principal, Caller caller) throws Exception {
    Policy bucket =
        Policy.parseBucketPolicy(
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                + principal
                + "\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}",
            "b");
    return AccessDecision.decide(
            new RequestContext(caller, "s3:GetObject", "arn:aws:s3:::b/k", Map.of()),
            OWNER,
            List.of(),
            bucket)
        .allowed();
  }

  @Test
  void roleArn_namesEverySessionOfTheRole_assumedRoleArnOneSession() throws Exception {
    Caller ci = Caller.roleSession("123456789012", "ci", "build-1");
    assertThat(ci.arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/ci/build-1");
    assertThat(allowed("arn:aws:iam::123456789012:role/ci", ci)).isTrue();
    assertThat(allowed("arn:aws:sts::123456789012:assumed-role/ci/build-1", ci)).isTrue();
    assertThat(allowed("arn:aws:sts::123456789012:assumed-role/ci/build-2", ci)).isFalse();
    assertThat(allowed("arn:aws:iam::123456789012:role/deploy", ci)).isFalse();
    // A user of the same name is not the role, nor the role the user.
    assertThat(allowed("arn:aws:iam::123456789012:user/ci", ci)).isFalse();
    assertThat(allowed("arn:aws:iam::123456789012:role/ci", Caller.user("123456789012", "ci")))
        .isFalse();
  }
}
