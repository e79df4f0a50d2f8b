package fr.coffre.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrustPolicyTest {
  private static final String ACCOUNT = "123456789012";
  private static final TrustPolicy.Requester BOB = TrustPolicy.Requester.user(ACCOUNT, "bob");
  private static final TrustPolicy.Requester EVE = TrustPolicy.Requester.user(ACCOUNT, "eve");
  private static final TrustPolicy.Requester OTHER =
      TrustPolicy.Requester.user("210987654321", "bob");

  private static TrustPolicy parse(String json) throws MalformedPolicyException {
    return TrustPolicy.parse(json, ACCOUNT);
  }

  @Test
  void awsPrincipal_userArnNamesOneUser_accountNamesItsUsers() throws Exception {
    TrustPolicy user =
        parse(
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/bob\"},\"Action\":\"sts:AssumeRole\"}}");
    assertThat(user.allows("sts:AssumeRole", BOB, Map.of())).isTrue();
    assertThat(user.allows("sts:AssumeRole", EVE, Map.of())).isFalse();
    assertThat(user.allows("sts:AssumeRole", OTHER, Map.of())).isFalse();
    assertThat(user.allows("sts:AssumeRoleWithWebIdentity", BOB, Map.of())).isFalse();
    TrustPolicy account =
        parse(
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"123456789012\"]},\"Action\":\"sts:*\"},"
                + "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/eve\"},\"Action\":\"sts:AssumeRole\"}]}");
    assertThat(account.allows("sts:AssumeRole", BOB, Map.of())).isTrue();
    assertThat(account.allows("sts:AssumeRole", EVE, Map.of())).isFalse();
    assertThat(account.allows("sts:AssumeRole", OTHER, Map.of())).isFalse();
  }

  @Test
  void federated_issuerInAnyOfItsSpellings_conditionsOnClaims() throws Exception {
    String doc =
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"%s\"},"
            + "\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{"
            + "\"StringEquals\":{\"idp.example/realms/r:aud\":\"coffre\"},"
            + "\"StringLike\":{\"idp.example/realms/r:email\":\"*@mairie.example\"}}}]}";
    Map<String, List<String>> good =
        Map.of(
            "idp.example/realms/r:aud", List.of("other", "coffre"),
            "idp.example/realms/r:email", List.of("agent@mairie.example"));
    Map<String, List<String>> wrongAud =
        Map.of(
            "idp.example/realms/r:aud", List.of("other"),
            "idp.example/realms/r:email", List.of("agent@mairie.example"));
    Map<String, List<String>> noEmail = Map.of("idp.example/realms/r:aud", List.of("coffre"));
    TrustPolicy.Requester holder = TrustPolicy.Requester.federated("https://idp.example/realms/r/");
    for (String spelling :
        List.of(
            "https://idp.example/realms/r",
            "idp.example/realms/r",
            "arn:aws:iam::123456789012:oidc-provider/idp.example/realms/r")) {
      TrustPolicy p = parse(String.format(doc, spelling));
      assertThat(p.allows("sts:AssumeRoleWithWebIdentity", holder, good)).as(spelling).isTrue();
      assertThat(p.allows("sts:AssumeRoleWithWebIdentity", holder, wrongAud)).isFalse();
      assertThat(p.allows("sts:AssumeRoleWithWebIdentity", holder, noEmail)).isFalse();
      assertThat(
              p.allows(
                  "sts:AssumeRoleWithWebIdentity",
                  TrustPolicy.Requester.federated("https://evil.example/realms/r"),
                  good))
          .isFalse();
      assertThat(p.allows("sts:AssumeRoleWithWebIdentity", BOB, good)).isFalse();
    }
    // Another account's provider ARN never names this one's issuer.
    TrustPolicy foreign =
        parse(String.format(doc, "arn:aws:iam::210987654321:oidc-provider/idp.example/realms/r"));
    assertThat(foreign.allows("sts:AssumeRoleWithWebIdentity", holder, good)).isFalse();
  }

  @Test
  void malformed_refusedWithTheReason() {
    assertThatThrownBy(() -> parse("{"))
        .isInstanceOf(MalformedPolicyException.class)
        .hasMessageContaining("JSON");
    assertThatThrownBy(
            () -> parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\"}]}"))
        .hasMessageContaining("Principal");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\"}]}"))
        .hasMessageContaining("sts:");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"))
        .hasMessageContaining("Service");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\",\"Condition\":{\"NumericLessThan\":{\"a\":\"1\"}}}]}"))
        .hasMessageContaining("NumericLessThan");
  }
}
