package fr.coffre.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdminOperationsTest {
  @Test
  void name_recordedAdminCalls_areTheirOpenApiOperations() {
    assertThat(AdminOperations.name("PUT /admin/v1/tenants/mairie/quota"))
        .hasValue("SetTenantQuota");
    assertThat(AdminOperations.name("POST /admin/v1/tenants/mairie/users")).hasValue("CreateUser");
    assertThat(AdminOperations.name("PUT /admin/v1/tenants/mairie/users/alice/policies/full"))
        .hasValue("PutUserPolicy");
    assertThat(AdminOperations.name("POST /admin/v1/access-keys/AKIA1/deactivate"))
        .hasValue("DeactivateAccessKey");
    assertThat(AdminOperations.name("DELETE /admin/v1/tenants/mairie")).hasValue("DeleteTenant");
    assertThat(AdminOperations.name("GET /admin/v1/audit/mairie?x=1")).hasValue("ExportAuditChain");
    assertThat(AdminOperations.name("POST /admin/v1/tenants/mairie/enrolment"))
        .hasValue("IssueTenantEnrolment");
    assertThat(AdminOperations.name("POST /admin/v1/proposals/pr-1/approve"))
        .hasValue("ApproveProposal");
  }

  @Test
  void name_otherRecordsOrUnknownCalls_areEmpty() {
    assertThat(AdminOperations.name("PutObject")).isEmpty();
    assertThat(AdminOperations.name(null)).isEmpty();
    assertThat(AdminOperations.name("PATCH /admin/v1/tenants/mairie")).isEmpty();
    assertThat(AdminOperations.name("POST /admin/v1/tenants//users")).isEmpty();
    assertThat(AdminOperations.name("GET /elsewhere/v1/tenants")).isEmpty();
  }
}
