package fr.coffre.s3.query;

import static fr.coffre.s3.query.QueryXml.el;
import static fr.coffre.s3.query.QueryXml.members;

import fr.coffre.core.AccessKeyRecord;
import fr.coffre.core.IdentityException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.PolicyHolder;
import fr.coffre.core.Principal;
import fr.coffre.core.RoleRecord;
import fr.coffre.core.UserRecord;
import fr.coffre.s3.query.QueryXml.El;
import fr.coffre.service.AccessService;
import fr.coffre.service.IdentityService;
import fr.coffre.service.RoleService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The subset of the IAM query API that {@code aws iam} uses to run a tenant's users, keys,
 * policies, groups and roles, always inside the caller's own tenant. Each action is authorized as
 * {@code iam:ACTION} on the ARN it addresses by the caller's identity policies (so {@code
 * TenantAdmin}, {@code Allow * *}, allows them all), then done through the same services as the
 * admin API, so the same rules hold.
 */
final class IamActions {
  static final Set<String> ACTIONS =
      Set.of(
          "CreateUser",
          "GetUser",
          "ListUsers",
          "DeleteUser",
          "CreateAccessKey",
          "ListAccessKeys",
          "DeleteAccessKey",
          "UpdateAccessKey",
          "PutUserPolicy",
          "GetUserPolicy",
          "DeleteUserPolicy",
          "ListUserPolicies",
          "CreatePolicy",
          "AttachUserPolicy",
          "DetachUserPolicy",
          "ListAttachedUserPolicies",
          "CreateGroup",
          "AddUserToGroup",
          "PutGroupPolicy",
          "CreateRole",
          "GetRole",
          "ListRoles",
          "DeleteRole",
          "PutRolePolicy",
          "AttachRolePolicy");

  private final IdentityService identities;
  private final RoleService roles;
  private final AccessService access;

  IamActions(IdentityService identities, RoleService roles, AccessService access) {
    this.identities = identities;
    this.roles = roles;
    this.access = access;
  }

  /** The form's value, or ValidationError naming the missing parameter. */
  static String required(Map<String, String> form, String name) {
    String v = form.get(name);
    if (v == null || v.isEmpty()) {
      throw new InvalidArgumentException("1 validation error detected: " + name + " is required");
    }
    return v;
  }

  /** The answer of {@code action}: its result element, or null when it has none. */
  @Nullable El handle(
      String action,
      Map<String, String> form,
      Principal caller,
      Map<String, List<String>> conditions) {
    String tenant = caller.tenant();
    String account = caller.accountId();
    if (tenant == null || account == null) {
      throw new fr.coffre.core.AccessDeniedException("Access Denied");
    }
    // The user an action is about: UserName, or the caller itself where IAM allows that.
    String userOrSelf = form.getOrDefault("UserName", caller.user());
    String resource =
        switch (action) {
          case "CreateUser",
              "GetUser",
              "DeleteUser",
              "CreateAccessKey",
              "ListAccessKeys",
              "DeleteAccessKey",
              "UpdateAccessKey",
              "PutUserPolicy",
              "GetUserPolicy",
              "DeleteUserPolicy",
              "ListUserPolicies",
              "AttachUserPolicy",
              "DetachUserPolicy",
              "ListAttachedUserPolicies" ->
              arn(account, "user/" + (userOrSelf == null ? "*" : userOrSelf));
          case "ListUsers" -> arn(account, "user/*");
          case "CreatePolicy" -> arn(account, "policy/" + required(form, "PolicyName"));
          case "CreateGroup", "AddUserToGroup", "PutGroupPolicy" ->
              arn(account, "group/" + required(form, "GroupName"));
          case "ListRoles" -> arn(account, "role/*");
          default -> arn(account, "role/" + required(form, "RoleName"));
        };
    access.authorizeIam(caller, "iam:" + action, resource, conditions);
    return switch (action) {
      case "CreateUser" -> {
        UserRecord u = identities.createUser(tenant, required(form, "UserName"));
        yield el("CreateUserResult", user(account, u));
      }
      case "GetUser" -> {
        if (userOrSelf == null) {
          throw new InvalidArgumentException("UserName is required for a root or role caller");
        }
        yield el("GetUserResult", user(account, identities.user(tenant, userOrSelf)));
      }
      case "ListUsers" -> {
        List<El> users = new ArrayList<>();
        for (UserRecord u : identities.users(tenant)) {
          users.add(user(account, u));
        }
        yield el("ListUsersResult", members("Users", users), el("IsTruncated", "false"));
      }
      case "DeleteUser" -> {
        String name = required(form, "UserName");
        identities.user(tenant, name);
        identities.deleteUser(tenant, name);
        yield null;
      }
      case "CreateAccessKey" -> {
        String name = requireUser(tenant, userOrSelf);
        IdentityService.NewAccessKey k = identities.createAccessKey(tenant, name);
        yield el(
            "CreateAccessKeyResult",
            el(
                "AccessKey",
                el("UserName", name),
                el("AccessKeyId", k.accessKeyId()),
                el("Status", "Active"),
                el("SecretAccessKey", k.secretAccessKey()),
                el("CreateDate", QueryXml.date(identities.accessKey(k.accessKeyId()).created()))));
      }
      case "ListAccessKeys" -> {
        String name = requireUser(tenant, userOrSelf);
        List<El> keys = new ArrayList<>();
        for (AccessKeyRecord k : identities.accessKeys(tenant, name)) {
          keys.add(
              el(
                  "member",
                  el("UserName", k.user()),
                  el("AccessKeyId", k.accessKeyId()),
                  el("Status", k.enabled() ? "Active" : "Inactive"),
                  el("CreateDate", QueryXml.date(k.created()))));
        }
        yield el(
            "ListAccessKeysResult", members("AccessKeyMetadata", keys), el("IsTruncated", "false"));
      }
      case "DeleteAccessKey" -> {
        AccessKeyRecord k = ownKey(tenant, userOrSelf, required(form, "AccessKeyId"));
        identities.deleteAccessKey(k.accessKeyId());
        yield null;
      }
      case "UpdateAccessKey" -> {
        AccessKeyRecord k = ownKey(tenant, userOrSelf, required(form, "AccessKeyId"));
        String status = required(form, "Status");
        if (!status.equals("Active") && !status.equals("Inactive")) {
          throw new InvalidArgumentException("Status must be Active or Inactive, got " + status);
        }
        identities.setAccessKeyEnabled(k.accessKeyId(), status.equals("Active"));
        yield null;
      }
      case "PutUserPolicy" -> {
        String name = required(form, "UserName");
        identities.user(tenant, name);
        identities.putUserPolicy(
            tenant, name, required(form, "PolicyName"), required(form, "PolicyDocument"));
        yield null;
      }
      case "GetUserPolicy" -> {
        String name = required(form, "UserName");
        String policy = required(form, "PolicyName");
        String doc = identities.userPolicies(tenant, name).get(policy);
        if (doc == null) {
          throw noSuchPolicy(policy, "user " + name);
        }
        yield el(
            "GetUserPolicyResult",
            el("UserName", name),
            el("PolicyName", policy),
            el("PolicyDocument", encoded(doc)));
      }
      case "DeleteUserPolicy" -> {
        identities.deleteUserPolicy(
            tenant, required(form, "UserName"), required(form, "PolicyName"));
        yield null;
      }
      case "ListUserPolicies" -> {
        List<El> names = new ArrayList<>();
        for (String n : identities.userPolicies(tenant, required(form, "UserName")).keySet()) {
          names.add(el("member", n));
        }
        yield el(
            "ListUserPoliciesResult", members("PolicyNames", names), el("IsTruncated", "false"));
      }
      case "CreatePolicy" -> {
        String name = required(form, "PolicyName");
        roles.createPolicy(tenant, name, required(form, "PolicyDocument"));
        String arn = roles.policyArn(tenant, name);
        yield el(
            "CreatePolicyResult",
            el(
                "Policy",
                el("PolicyName", name),
                el("PolicyId", id("ANPA", arn)),
                el("Arn", arn),
                el("Path", "/"),
                el("DefaultVersionId", "v1"),
                el("AttachmentCount", "0"),
                el("IsAttachable", "true")));
      }
      case "AttachUserPolicy" -> {
        roles.attach(
            tenant, PolicyHolder.USER, required(form, "UserName"), required(form, "PolicyArn"));
        yield null;
      }
      case "DetachUserPolicy" -> {
        roles.detach(
            tenant, PolicyHolder.USER, required(form, "UserName"), required(form, "PolicyArn"));
        yield null;
      }
      case "ListAttachedUserPolicies" -> {
        String name = required(form, "UserName");
        identities.user(tenant, name);
        List<El> attached = new ArrayList<>();
        for (String p : roles.attached(tenant, PolicyHolder.USER, name)) {
          attached.add(
              el("member", el("PolicyName", p), el("PolicyArn", roles.policyArn(tenant, p))));
        }
        yield el(
            "ListAttachedUserPoliciesResult",
            members("AttachedPolicies", attached),
            el("IsTruncated", "false"));
      }
      case "CreateGroup" -> {
        String name = required(form, "GroupName");
        Instant created = roles.createGroup(tenant, name);
        String arn = arn(account, "group/" + name);
        yield el(
            "CreateGroupResult",
            el(
                "Group",
                el("Path", "/"),
                el("GroupName", name),
                el("GroupId", id("AGPA", arn)),
                el("Arn", arn),
                el("CreateDate", QueryXml.date(created))));
      }
      case "AddUserToGroup" -> {
        roles.addUserToGroup(tenant, required(form, "GroupName"), required(form, "UserName"));
        yield null;
      }
      case "PutGroupPolicy" -> {
        roles.putGroupPolicy(
            tenant,
            required(form, "GroupName"),
            required(form, "PolicyName"),
            required(form, "PolicyDocument"));
        yield null;
      }
      case "CreateRole" -> {
        String max = form.get("MaxSessionDuration");
        RoleRecord r =
            roles.createRole(
                tenant,
                required(form, "RoleName"),
                required(form, "AssumeRolePolicyDocument"),
                max == null ? null : integer("MaxSessionDuration", max));
        yield el("CreateRoleResult", role(account, r));
      }
      case "GetRole" ->
          el("GetRoleResult", role(account, roles.role(tenant, required(form, "RoleName"))));
      case "ListRoles" -> {
        List<El> all = new ArrayList<>();
        for (RoleRecord r : roles.roles(tenant)) {
          all.add(role(account, r));
        }
        yield el("ListRolesResult", members("Roles", all), el("IsTruncated", "false"));
      }
      case "DeleteRole" -> {
        roles.deleteRole(tenant, required(form, "RoleName"));
        yield null;
      }
      case "PutRolePolicy" -> {
        roles.putRolePolicy(
            tenant,
            required(form, "RoleName"),
            required(form, "PolicyName"),
            required(form, "PolicyDocument"));
        yield null;
      }
      case "AttachRolePolicy" -> {
        roles.attach(
            tenant, PolicyHolder.ROLE, required(form, "RoleName"), required(form, "PolicyArn"));
        yield null;
      }
      default -> throw new IllegalStateException("no IAM action " + action);
    };
  }

  private String requireUser(String tenant, @Nullable String user) {
    if (user == null) {
      throw new InvalidArgumentException("UserName is required for a root or role caller");
    }
    identities.user(tenant, user);
    return user;
  }

  /** A key of the tenant (of {@code user} when named), or NoSuchEntity. */
  private AccessKeyRecord ownKey(String tenant, @Nullable String user, String id) {
    try {
      AccessKeyRecord k = identities.accessKey(id);
      if (k.tenant().equals(tenant) && (user == null || k.user().equals(user))) {
        return k;
      }
    } catch (IdentityException e) {
      // answered below, as for another tenant's key
    }
    throw new IdentityException(
        IdentityException.Reason.NO_SUCH_ACCESS_KEY,
        "The Access Key with id " + id + " cannot be found.");
  }

  private static IdentityException noSuchPolicy(String policy, String of) {
    return new IdentityException(
        IdentityException.Reason.NO_SUCH_POLICY,
        "The " + of + " policy with name " + policy + " cannot be found.");
  }

  static int integer(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(name + " must be a whole number, got " + value);
    }
  }

  static String arn(String account, String resource) {
    return "arn:aws:iam::" + account + ":" + resource;
  }

  /** A stable IAM-style unique id (prefix + 17 characters) derived from an ARN. */
  private static String id(String prefix, String arn) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(arn.getBytes(StandardCharsets.UTF_8));
      return prefix + HexFormat.of().formatHex(h).toUpperCase(Locale.ROOT).substring(0, 17);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Policy documents travel URL-encoded in IAM answers (aws-cli decodes them). */
  private static String encoded(String document) {
    return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static El user(String account, UserRecord u) {
    String arn = arn(account, "user/" + u.name());
    return el(
        "User",
        el("Path", "/"),
        el("UserName", u.name()),
        el("UserId", id("AIDA", arn)),
        el("Arn", arn),
        el("CreateDate", QueryXml.date(u.created())));
  }

  private static El role(String account, RoleRecord r) {
    String arn = r.arn(account);
    return el(
        "Role",
        el("Path", "/"),
        el("RoleName", r.name()),
        el("RoleId", id("AROA", arn)),
        el("Arn", arn),
        el("CreateDate", QueryXml.date(r.created())),
        el("AssumeRolePolicyDocument", encoded(r.trustPolicy())),
        el("MaxSessionDuration", Integer.toString(r.maxSessionSeconds())));
  }
}
