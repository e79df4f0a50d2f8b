package fr.coffre.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.coffre.core.AccessDeniedException;
import fr.coffre.core.AccessKeyRecord;
import fr.coffre.core.AuditUnavailableException;
import fr.coffre.core.CoffreException;
import fr.coffre.core.IdentityException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.Principal;
import fr.coffre.core.RoleRecord;
import fr.coffre.core.UserRecord;
import fr.coffre.service.IdentityService;
import fr.coffre.web.WebError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The tenant console's self-service of users, access keys and inline policies ({@code /api/iam}).
 * Each call is the IAM query API's action of the same name: authorized as {@code iam:ACTION} on the
 * same ARN by {@code AccessService.authorizeIam} (so a user's policies decide, the tenant's root
 * and {@code TenantAdmin} may do all), then done by the same {@code IdentityService} and {@code
 * RoleService} methods, inside the caller's own tenant. The audit trail names the action and its
 * non-secret parameters ({@code UserName}, {@code AccessKeyId}, {@code PolicyName}), as the IAM API
 * records them; never a secret nor a policy document.
 */
final class IamApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConsoleServices s;

  IamApi(ConsoleServices s) {
    this.s = s;
  }

  /** Routes {@code /api/iam/...}; null when the path names nothing here. */
  @Nullable Call route(String method, List<String> p) {
    int n = p.size();
    if (n == 2 && p.get(1).equals("users")) {
      if (method.equals("GET")) {
        return call("ListUsers", false, Map.of(), (who, in) -> listUsers(who, in));
      }
      if (method.equals("POST")) {
        return new Call("CreateUser", null, null, true, (who, in) -> createUser(who, in));
      }
    }
    if (n == 2 && p.get(1).equals("roles") && method.equals("GET")) {
      return call("ListRoles", false, Map.of(), (who, in) -> listRoles(who, in));
    }
    if (n < 3 || !p.get(1).equals("users")) {
      return null;
    }
    String user = p.get(2);
    Map<String, String> named = Map.of("UserName", user);
    if (n == 3 && method.equals("DELETE")) {
      return call(
          "DeleteUser",
          true,
          named,
          (who, in) -> {
            authorize(who, "DeleteUser", user, in);
            s.identities().user(who.tenant(), user);
            s.identities().deleteUser(who.tenant(), user);
            return Reply.noContent();
          });
    }
    if (n == 4 && p.get(3).equals("access-keys") && method.equals("POST")) {
      return call(
          "CreateAccessKey",
          true,
          named,
          (who, in) -> {
            authorize(who, "CreateAccessKey", user, in);
            s.identities().user(who.tenant(), user);
            IdentityService.NewAccessKey k = s.identities().createAccessKey(who.tenant(), user);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("user", user);
            out.put("accessKeyId", k.accessKeyId());
            // Shown once: the server keeps it sealed and never answers it again.
            out.put("secretAccessKey", k.secretAccessKey());
            out.put("status", "Active");
            return Reply.created(out)
                .auditing(
                    null, null, details(Map.of("UserName", user, "AccessKeyId", k.accessKeyId())));
          });
    }
    if (n == 5 && p.get(3).equals("access-keys") && method.equals("DELETE")) {
      String id = p.get(4);
      return call(
          "DeleteAccessKey",
          true,
          Map.of("UserName", user, "AccessKeyId", id),
          (who, in) -> {
            authorize(who, "DeleteAccessKey", user, in);
            s.identities().deleteAccessKey(ownKey(who.tenant(), user, id).accessKeyId());
            return Reply.noContent();
          });
    }
    if (n == 5 && p.get(3).equals("policies")) {
      String policy = p.get(4);
      Map<String, String> both = Map.of("UserName", user, "PolicyName", policy);
      if (method.equals("PUT")) {
        return call(
            "PutUserPolicy",
            true,
            both,
            (who, in) -> {
              authorize(who, "PutUserPolicy", user, in);
              JsonNode doc = in.json().get("document");
              String text =
                  doc == null || doc.isNull()
                      ? null
                      : doc.isTextual() ? doc.asText() : JSON.writeValueAsString(doc);
              if (text == null || text.isBlank()) {
                throw new InvalidArgumentException("document (the policy, as JSON) is required");
              }
              s.identities().user(who.tenant(), user);
              s.identities().putUserPolicy(who.tenant(), user, policy, text);
              return Reply.noContent();
            });
      }
      if (method.equals("DELETE")) {
        return call(
            "DeleteUserPolicy",
            true,
            both,
            (who, in) -> {
              authorize(who, "DeleteUserPolicy", user, in);
              if (!s.identities().userPolicies(who.tenant(), user).containsKey(policy)) {
                throw new IdentityException(
                    IdentityException.Reason.NO_SUCH_POLICY,
                    "The user " + user + " policy with name " + policy + " cannot be found.");
              }
              s.identities().deleteUserPolicy(who.tenant(), user, policy);
              return Reply.noContent();
            });
      }
    }
    return null;
  }

  /**
   * A call whose outcome record carries {@code recorded} (the IAM API's parameters), refused or
   * not.
   */
  private static Call call(
      String operation, boolean change, Map<String, String> recorded, Call.Action action) {
    String details = recorded.isEmpty() ? null : details(recorded);
    return new Call(
        operation,
        null,
        null,
        change,
        (who, in) -> {
          Reply r;
          try {
            r = action.run(who, in);
          } catch (AuditUnavailableException e) {
            throw e;
          } catch (CoffreException e) {
            WebError error = WebError.of(e);
            if (error.serverFault()) {
              throw e; // the handler logs it with the request id
            }
            r = Reply.error(error);
          }
          return r.audited() != null || details == null ? r : r.auditing(null, null, details);
        });
  }

  /**
   * Refuses what the IAM API would refuse: iam:ACTION on the user's ARN in the caller's account.
   */
  private void authorize(Principal who, String action, @Nullable String user, Call.In in) {
    String account = who.accountId();
    if (who.tenant() == null || account == null) {
      throw new AccessDeniedException("Access Denied");
    }
    s.access()
        .authorizeIam(
            who,
            "iam:" + action,
            "arn:aws:iam::" + account + ":user/" + (user == null ? "*" : user),
            in.conditions());
  }

  private Reply createUser(Principal who, Call.In in) throws Exception {
    JsonNode body = in.json();
    String name = StorageApi.text(body, "name");
    if (name == null || name.isBlank()) {
      throw new InvalidArgumentException("name (the user's name) is required");
    }
    Map<String, String> recorded = Map.of("UserName", name);
    Reply r;
    try {
      authorize(who, "CreateUser", name, in);
      UserRecord u = s.identities().createUser(who.tenant(), name);
      r = Reply.created(user(u, List.of(), List.of()));
    } catch (AuditUnavailableException e) {
      throw e;
    } catch (CoffreException e) {
      WebError error = WebError.of(e);
      if (error.serverFault()) {
        throw e;
      }
      r = Reply.error(error);
    }
    return r.auditing(null, null, details(recorded));
  }

  private Reply listUsers(Principal who, Call.In in) {
    authorize(who, "ListUsers", null, in);
    List<Map<String, Object>> out = new ArrayList<>();
    for (UserRecord u : s.identities().users(who.tenant())) {
      // Keys and policy names as far as the caller may list them (iam:ListAccessKeys,
      // iam:ListUserPolicies on that user); null where it may not.
      List<Map<String, Object>> keys = null;
      List<String> policies = null;
      try {
        authorize(who, "ListAccessKeys", u.name(), in);
        keys = new ArrayList<>();
        for (AccessKeyRecord k : s.identities().accessKeys(who.tenant(), u.name())) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", k.accessKeyId());
          m.put("status", k.enabled() ? "Active" : "Inactive");
          m.put("created", k.created().toString());
          keys.add(m);
        }
      } catch (AccessDeniedException e) {
        keys = null;
      }
      try {
        authorize(who, "ListUserPolicies", u.name(), in);
        policies = List.copyOf(s.identities().userPolicies(who.tenant(), u.name()).keySet());
      } catch (AccessDeniedException e) {
        policies = null;
      }
      out.add(user(u, keys, policies));
    }
    return Reply.ok(Map.of("users", out));
  }

  private Reply listRoles(Principal who, Call.In in) {
    String account = who.accountId();
    if (who.tenant() == null || account == null) {
      throw new AccessDeniedException("Access Denied");
    }
    s.access()
        .authorizeIam(who, "iam:ListRoles", "arn:aws:iam::" + account + ":role/*", in.conditions());
    List<Map<String, Object>> out = new ArrayList<>();
    for (RoleRecord r : s.roles().roles(who.tenant())) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("arn", r.arn(account));
      m.put("created", r.created().toString());
      m.put("maxSessionSeconds", r.maxSessionSeconds());
      m.put("trustPolicy", r.trustPolicy());
      out.add(m);
    }
    return Reply.ok(Map.of("roles", out));
  }

  /** A key of the tenant's user, or NoSuchAccessKey (as for another tenant's key). */
  private AccessKeyRecord ownKey(String tenant, String user, String id) {
    try {
      AccessKeyRecord k = s.identities().accessKey(id);
      if (k.tenant().equals(tenant) && k.user().equals(user)) {
        return k;
      }
    } catch (IdentityException e) {
      // answered below
    }
    throw new IdentityException(
        IdentityException.Reason.NO_SUCH_ACCESS_KEY,
        "The Access Key with id " + id + " cannot be found.");
  }

  private static Map<String, Object> user(
      UserRecord u, @Nullable List<Map<String, Object>> keys, @Nullable List<String> policies) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", u.name());
    m.put("created", u.created().toString());
    m.put("enabled", u.enabled());
    m.put("accessKeys", keys);
    m.put("policies", policies);
    return m;
  }

  static String details(Map<String, String> recorded) {
    ObjectNode d = JSON.createObjectNode();
    for (String name : List.of("UserName", "AccessKeyId", "PolicyName")) {
      String v = recorded.get(name);
      if (v != null && v.length() <= 2048) {
        d.put(name, v);
      }
    }
    return d.toString();
  }
}
