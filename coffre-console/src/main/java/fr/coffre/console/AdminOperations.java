package fr.coffre.console;

import java.util.List;
import java.util.Optional;

/**
 * Names an operator's call for the tenant console's audit view. The trail records an admin call as
 * its request ({@code POST /admin/v1/tenants/mairie/users}); the view shows an operation name after
 * the admin API's OpenAPI operation ids ({@code createUser} → {@code CreateUser}), so a tenant
 * reads what the operator did to it as it reads its own S3 operations.
 */
final class AdminOperations {
  static final String PREFIX = "/admin/v1/";

  /** {@code METHOD path-template Name}; {@code *} matches one path segment. */
  private static final List<String> TABLE =
      List.of(
          "GET status GetStatus",
          "POST unseal Unseal",
          "GET signing-key GetSigningKey",
          "GET keys ListKmsKeys",
          "POST keys CreateKmsKey",
          "GET keys/* GetKmsKey",
          "POST keys/*/enable EnableKmsKey",
          "POST keys/*/disable DisableKmsKey",
          "POST keys/*/rotate RotateKmsKey",
          "POST keys/*/rewrap RewrapKmsKey",
          "POST keys/*/schedule-deletion ScheduleKmsKeyDeletion",
          "POST keys/*/cancel-deletion CancelKmsKeyDeletion",
          "POST keys/*/destroy DestroyKmsKey",
          "GET keys/*/certificate GetErasureCertificate",
          "GET keys/*/covered GetErasureCoverage",
          "GET tenants ListTenants",
          "POST tenants CreateTenant",
          "GET tenants/* GetTenant",
          "DELETE tenants/* DeleteTenant",
          "PUT tenants/*/quota SetTenantQuota",
          "GET tenants/*/buckets ListTenantBuckets",
          "GET tenants/*/access-review GetTenantAccessReview",
          "GET tenants/*/users ListUsers",
          "POST tenants/*/users CreateUser",
          "GET tenants/*/users/* GetUser",
          "DELETE tenants/*/users/* DeleteUser",
          "POST tenants/*/users/*/enable EnableUser",
          "POST tenants/*/users/*/disable DisableUser",
          "GET tenants/*/users/*/access GetUserAccess",
          "GET tenants/*/users/*/access-keys ListUserAccessKeys",
          "POST tenants/*/users/*/access-keys CreateAccessKey",
          "GET access-keys/* GetAccessKey",
          "DELETE access-keys/* DeleteAccessKey",
          "POST access-keys/*/activate ActivateAccessKey",
          "POST access-keys/*/deactivate DeactivateAccessKey",
          "GET tenants/*/users/*/policies ListUserPolicies",
          "GET tenants/*/users/*/policies/* GetUserPolicy",
          "PUT tenants/*/users/*/policies/* PutUserPolicy",
          "DELETE tenants/*/users/*/policies/* DeleteUserPolicy",
          "GET buckets/* GetBucket",
          "PUT buckets/*/quota SetBucketQuota",
          "GET buckets/*/access GetBucketAccess",
          "GET lockouts ListLockouts",
          "DELETE lockouts/* ClearLockout",
          "GET buckets/*/residency GetResidencyReport",
          "PUT buckets/*/class ReclassifyBucket",
          "POST session OpenConsoleSession",
          "GET session GetConsoleSession",
          "DELETE session CloseConsoleSession",
          "GET placement GetPlacementStatus",
          "GET scrub GetScrubStatus",
          "POST scrub Scrub",
          "POST lifecycle/run RunLifecycle",
          "GET nodes ListNodes",
          "DELETE nodes/* RemoveNode",
          "POST nodes/*/drain DrainNode",
          "POST nodes/*/activate ActivateNode",
          "POST tenants/*/enrolment IssueTenantEnrolment",
          "GET tenants/*/support-windows ListSupportWindows",
          "POST login OperatorSignIn",
          "POST logout OperatorSignOut",
          "GET operators ListOperators",
          "POST operators CreateOperator",
          "GET operators/* GetOperator",
          "DELETE operators/* DeleteOperator",
          "PUT operators/*/roles SetOperatorRoles",
          "GET proposals ListProposals",
          "GET proposals/* GetProposal",
          "POST proposals/*/approve ApproveProposal",
          "GET audit ListAuditChains",
          "GET audit/* ExportAuditChain");

  private AdminOperations() {}

  /**
   * The operation of a recorded admin call ({@code "PUT /admin/v1/tenants/mairie/quota"} → {@code
   * SetTenantQuota}), or empty when the record is not an admin call this table knows.
   */
  static Optional<String> name(String recorded) {
    if (recorded == null) {
      return Optional.empty();
    }
    int space = recorded.indexOf(' ');
    if (space < 0 || !recorded.startsWith(PREFIX, space + 1)) {
      return Optional.empty();
    }
    String method = recorded.substring(0, space);
    String path = recorded.substring(space + 1 + PREFIX.length());
    int query = path.indexOf('?');
    String[] segments = (query < 0 ? path : path.substring(0, query)).split("/", -1);
    for (String row : TABLE) {
      String[] r = row.split(" ", -1);
      if (r[0].equals(method) && matches(r[1].split("/", -1), segments)) {
        return Optional.of(r[2]);
      }
    }
    return Optional.empty();
  }

  private static boolean matches(String[] template, String[] segments) {
    if (template.length != segments.length) {
      return false;
    }
    for (int i = 0; i < template.length; i++) {
      boolean any = template[i].equals("*") && !segments[i].isEmpty();
      if (!any && !template[i].equals(segments[i])) {
        return false;
      }
    }
    return true;
  }
}
