package fr.coffre.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.GovernanceException;
import fr.coffre.core.OperatorRecord.Role;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorGateTest {
  private static String[] p(String rest) {
    return rest.split("/");
  }

  @Test
  void fourEyes_destructiveAndSovereigntyChangingCalls_only() {
    assertThat(OperatorGate.fourEyes("DELETE", p("tenants/mairie"))).isTrue();
    assertThat(OperatorGate.fourEyes("DELETE", p("nodes/n2"))).isTrue();
    assertThat(OperatorGate.fourEyes("POST", p("keys/k1/destroy"))).isTrue();
    assertThat(OperatorGate.fourEyes("POST", p("keys/alias/archives/destroy"))).isTrue();
    assertThat(OperatorGate.fourEyes("PUT", p("buckets/b/class"))).isTrue();
    assertThat(OperatorGate.fourEyes("POST", p("root-key/rotate"))).isTrue();
    assertThat(OperatorGate.fourEyes("GET", p("root-key/rotation"))).isFalse();
    assertThat(OperatorGate.fourEyes("GET", p("tenants/mairie"))).isFalse();
    assertThat(OperatorGate.fourEyes("DELETE", p("tenants/mairie/users/alice"))).isFalse();
    assertThat(OperatorGate.fourEyes("POST", p("keys/k1/disable"))).isFalse();
    assertThat(OperatorGate.fourEyes("POST", p("tenants"))).isFalse();
  }

  @Test
  void authorize_everyRoleReads_changesNeedTheirRole() {
    for (Role r : Role.values()) {
      assertThatCode(() -> OperatorGate.authorize(Set.of(r), "GET", p("tenants")))
          .doesNotThrowAnyException();
    }
    assertThatThrownBy(() -> OperatorGate.authorize(Set.of(Role.AUDITOR), "POST", p("tenants")))
        .isInstanceOf(GovernanceException.class)
        .hasMessageContaining("needs the role operator");
    assertThatThrownBy(
            () -> OperatorGate.authorize(Set.of(Role.SECURITY_OFFICER), "DELETE", p("tenants/t")))
        .isInstanceOf(GovernanceException.class);
    assertThatThrownBy(() -> OperatorGate.authorize(Set.of(Role.OPERATOR), "POST", p("operators")))
        .hasMessageContaining("security-officer");
    assertThatCode(
            () -> OperatorGate.authorize(Set.of(Role.SECURITY_OFFICER), "POST", p("operators")))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                OperatorGate.authorize(
                    Set.of(Role.SECURITY_OFFICER), "POST", p("proposals/pr-1/approve")))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> OperatorGate.authorize(Set.of(Role.AUDITOR), "POST", p("proposals/pr-1/approve")))
        .isInstanceOf(GovernanceException.class);
  }

  @Test
  void retiredToken_stillUnsealsAndReadsTheStatus_only() {
    assertThat(OperatorGate.tokenStillServes("GET", "status")).isTrue();
    assertThat(OperatorGate.tokenStillServes("POST", "unseal")).isTrue();
    assertThat(OperatorGate.tokenStillServes("GET", "tenants")).isFalse();
    assertThat(OperatorGate.tokenStillServes("POST", "operators")).isFalse();
  }
}
