package fr.coffre.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import fr.coffre.core.AccessKeyRecord;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.Quota;
import fr.coffre.core.SupportWindow;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.Usage;
import fr.coffre.core.UserRecord;
import fr.coffre.service.AccessReviews;
import fr.coffre.service.AccessService;
import fr.coffre.service.BucketService;
import fr.coffre.service.IdentityService;
import fr.coffre.service.Lockouts;
import fr.coffre.service.TenantConsent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin routes for tenants, users, access keys, identity policies, quotas, bucket facts, access
 * reviews and lock-outs (paths relative to {@code /admin/v1}; see docs/admin-openapi.yaml). Nothing
 * here reads or writes object content: that is not an operator power.
 */
final class TenantsApi {
  private static final Logger LOG = LoggerFactory.getLogger(TenantsApi.class);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final IdentityService identities;
  private final AccessService access;
  private final BucketService buckets;
  private final AccessReviews reviews;
  private final Lockouts lockouts;
  private @Nullable TenantConsent consent;

  TenantsApi(
      IdentityService identities,
      AccessService access,
      BucketService buckets,
      AccessReviews reviews,
      Lockouts lockouts) {
    this.identities = identities;
    this.access = access;
    this.buckets = buckets;
    this.reviews = reviews;
    this.lockouts = lockouts;
  }

  /** Applies the consent rule (docs/identities.md) to the operator's identity changes. */
  void withConsent(TenantConsent consent) {
    this.consent = consent;
  }

  /**
   * Refuses (TENANT_CONSENT_REQUIRED) an operator's identity change inside an enrolled tenant
   * without an open support window of {@code scope}; logs the window that allows it.
   */
  private void consent(String tenant, SupportWindow.Scope scope, AdminApi.Caller caller) {
    if (consent == null) {
      return;
    }
    consent
        .requireOperatorConsent(tenant, scope)
        .ifPresent(
            w ->
                audit(
                    caller,
                    "support window "
                        + w.id()
                        + " of "
                        + tenant
                        + " ("
                        + w.scopeText()
                        + ", opened by "
                        + w.openedBy()
                        + ") used"));
  }

  record WindowJson(
      String id,
      String tenant,
      List<String> scope,
      String openedBy,
      String opened,
      String expires,
      String revoked,
      String revokedBy,
      boolean open) {
    static WindowJson of(SupportWindow w, boolean open) {
      return new WindowJson(
          w.id(),
          w.tenant(),
          List.of(w.scopeText().split(",")),
          w.openedBy(),
          w.opened().toString(),
          w.expires().toString(),
          text(w.revoked()),
          w.revokedBy(),
          open);
    }
  }

  private Map<String, Object> enrolment(TenantConsent.Enrolment e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("token", e.token());
    out.put("expiresAt", e.expires().toString());
    out.put(
        "redeem",
        "give this one-time token to the tenant's first admin, who redeems it in the tenant"
            + " console (POST /api/enrol {tenant, token, user}) and alone receives the first"
            + " credentials; it is shown this once");
    return out;
  }

  private static @Nullable Duration hours(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.canConvertToLong()) {
      throw new InvalidArgumentException(field + " must be a whole number of hours, got " + n);
    }
    return Duration.ofHours(n.asLong());
  }

  // JSON shapes

  record QuotaJson(Long bytes, Long objects) {
    static QuotaJson of(Quota q) {
      return new QuotaJson(q.maxBytes(), q.maxObjects());
    }
  }

  record UsageJson(long objects, long bytes) {
    static UsageJson of(Usage u) {
      return new UsageJson(u.objects(), u.bytes());
    }
  }

  record TenantJson(
      String name,
      String accountId,
      String created,
      QuotaJson quota,
      UsageJson usage,
      Integer buckets,
      Integer users) {}

  record UserJson(
      String tenant,
      String name,
      String arn,
      String created,
      boolean enabled,
      List<KeyJson> accessKeys,
      List<String> policies) {}

  record KeyJson(
      String accessKeyId,
      String tenant,
      String user,
      String status,
      String created,
      String lockedUntil) {}

  /** One lock-out subject; {@code scope} is "signatures from ADDRESS" or "interactive sign-ins". */
  record LockoutJson(
      String accessKeyId,
      String scope,
      int recentFailures,
      long totalFailures,
      String lastFailure,
      String lastSource,
      String lockedUntil,
      int lockouts) {}

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }

  record BucketJson(
      String name,
      String tenant,
      String created,
      String sensitivityClass,
      QuotaJson quota,
      UsageJson usage,
      Object policy) {}

  private TenantJson tenant(TenantRecord t, boolean details) {
    return new TenantJson(
        t.name(),
        t.accountId(),
        t.created().toString(),
        QuotaJson.of(t.quota()),
        details ? UsageJson.of(identities.tenantUsage(t.name())) : null,
        details ? buckets.list(t.name()).size() : null,
        details ? identities.users(t.name()).size() : null);
  }

  private UserJson user(UserRecord u) {
    TenantRecord t = identities.tenant(u.tenant());
    return new UserJson(
        u.tenant(),
        u.name(),
        "arn:aws:iam::" + t.accountId() + ":user/" + u.name(),
        u.created().toString(),
        u.enabled(),
        identities.accessKeys(u.tenant(), u.name()).stream().map(this::key).toList(),
        List.copyOf(identities.userPolicies(u.tenant(), u.name()).keySet()));
  }

  private KeyJson key(AccessKeyRecord k) {
    var until = lockouts.lockedAnywhere(k.accessKeyId());
    return new KeyJson(
        k.accessKeyId(),
        k.tenant(),
        k.user(),
        k.enabled() ? "Active" : "Inactive",
        k.created().toString(),
        until == null ? null : until.toString());
  }

  private BucketJson bucket(BucketRecord b) {
    Object policy = access.bucketPolicy(b.name()).map(TenantsApi::json).orElse(null);
    return new BucketJson(
        b.name().value(),
        b.tenant(),
        b.created().toString(),
        b.sensitivityClass(),
        QuotaJson.of(b.quota()),
        UsageJson.of(buckets.usage(b.name())),
        policy);
  }

  private static Object json(String document) {
    try {
      return AdminApi.JSON.readTree(document);
    } catch (IOException e) {
      return document;
    }
  }

  static Quota quota(JsonNode body) {
    JsonNode q = body.has("quota") ? body.get("quota") : body;
    if (q == null || q.isNull()) {
      return Quota.NONE;
    }
    return new Quota(number(q, "bytes"), number(q, "objects"));
  }

  private static Long number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToLong()) {
      throw new InvalidArgumentException(field + " must be a whole number or null, got " + v);
    }
    return v.asLong();
  }

  void requireTenant(String name) {
    identities.tenant(name);
  }

  /**
   * Serves {@code path} (segments after /admin/v1), or returns null when it is not one of these
   * routes.
   */
  AdminReply route(String method, String[] p, JsonNode body, byte[] raw, AdminApi.Caller caller) {
    String head = p[0];
    return switch (head) {
      case "tenants" -> tenants(method, p, body, raw, caller);
      case "access-keys" -> accessKeys(method, p, caller);
      case "buckets" -> buckets(method, p, body, caller);
      case "lockouts" -> lockouts(method, p, caller);
      default -> null;
    };
  }

  private static AdminReply notAllowed(String method, String[] p) {
    return AdminReply.error(405, "MethodNotAllowed", method + " /" + String.join("/", p));
  }

  private static void audit(AdminApi.Caller caller, String what) {
    LOG.info("admin: {} by {} from {}", what, caller.principal(), caller.address());
  }

  private AdminReply tenants(
      String method, String[] p, JsonNode body, byte[] raw, AdminApi.Caller caller) {
    if (p.length == 1) {
      return switch (method) {
        case "GET" ->
            AdminReply.ok(
                Map.of(
                    "tenants", identities.tenants().stream().map(t -> tenant(t, false)).toList()));
        case "POST" -> {
          String name = AdminApi.text(body, "name");
          boolean enrol = body.path("enrolment").asBoolean(false);
          if (enrol && consent == null) {
            throw new InvalidArgumentException("this server does not issue enrolments");
          }
          Duration ttl = hours(body, "enrolmentHours");
          TenantRecord t = identities.createTenant(name, quota(body));
          audit(caller, "tenant " + name + " created");
          if (!enrol) {
            yield new AdminReply(201, tenant(t, true));
          }
          Map<String, Object> out =
              new LinkedHashMap<>(AdminApi.JSON.convertValue(tenant(t, true), MAP));
          out.put("enrolment", enrolment(consent.issueEnrolment(name, ttl)));
          audit(caller, "enrolment of tenant " + name + " issued");
          yield new AdminReply(201, out);
        }
        default -> notAllowed(method, p);
      };
    }
    String t = p[1];
    if (p.length == 2) {
      return switch (method) {
        case "GET" -> AdminReply.ok(tenant(identities.tenant(t), true));
        case "DELETE" -> {
          identities.deleteTenant(t);
          audit(caller, "tenant " + t + " deleted");
          yield new AdminReply(204, null);
        }
        default -> notAllowed(method, p);
      };
    }
    switch (p[2]) {
      case "enrolment" -> {
        if (consent == null || p.length != 3 || !method.equals("POST")) {
          return notAllowed(method, p);
        }
        TenantConsent.Enrolment e = consent.issueEnrolment(t, hours(body, "hours"));
        audit(caller, "enrolment of tenant " + t + " issued");
        return new AdminReply(201, enrolment(e));
      }
      case "support-windows" -> {
        if (consent == null || p.length != 3 || !method.equals("GET")) {
          return notAllowed(method, p);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tenant", t);
        out.put("consentRequired", consent.guarded(t));
        out.put("enrolled", consent.enrolment(t).map(e -> e.redeemed() != null).orElse(false));
        out.put(
            "windows",
            consent.windows(t).stream().map(w -> WindowJson.of(w, consent.isOpen(w))).toList());
        return AdminReply.ok(out);
      }
      case "quota" -> {
        if (p.length != 3 || !method.equals("PUT")) {
          return notAllowed(method, p);
        }
        Quota q = quota(body);
        identities.setTenantQuota(t, q);
        audit(caller, "tenant " + t + " quota set to " + q);
        return AdminReply.ok(tenant(identities.tenant(t), true));
      }
      case "buckets" -> {
        return p.length == 3 && method.equals("GET")
            ? AdminReply.ok(
                Map.of(
                    "buckets",
                    buckets.list(identities.tenant(t).name()).stream().map(this::bucket).toList()))
            : notAllowed(method, p);
      }
      case "access-review" -> {
        return p.length == 3 && method.equals("GET")
            ? AdminReply.ok(reviews.export(t))
            : notAllowed(method, p);
      }
      case "users" -> {
        return users(method, p, t, body, raw, caller);
      }
      default -> {
        return null;
      }
    }
  }

  private AdminReply users(
      String method, String[] p, String t, JsonNode body, byte[] raw, AdminApi.Caller caller) {
    if (p.length == 3) {
      return switch (method) {
        case "GET" ->
            AdminReply.ok(Map.of("users", identities.users(t).stream().map(this::user).toList()));
        case "POST" -> {
          String name = AdminApi.text(body, "name");
          identities.tenant(t);
          consent(t, SupportWindow.Scope.USERS, caller);
          UserRecord u = identities.createUser(t, name);
          audit(caller, "user " + t + "/" + name + " created");
          yield new AdminReply(201, user(u));
        }
        default -> notAllowed(method, p);
      };
    }
    String u = p[3];
    if (p.length == 4) {
      return switch (method) {
        case "GET" -> AdminReply.ok(user(identities.user(t, u)));
        case "DELETE" -> {
          identities.deleteUser(t, u);
          audit(caller, "user " + t + "/" + u + " deleted");
          yield new AdminReply(204, null);
        }
        default -> notAllowed(method, p);
      };
    }
    switch (p[4]) {
      case "enable", "disable" -> {
        if (p.length != 5 || !method.equals("POST")) {
          return notAllowed(method, p);
        }
        if (p[4].equals("enable")) {
          consent(t, SupportWindow.Scope.USERS, caller);
        }
        identities.setUserEnabled(t, u, p[4].equals("enable"));
        audit(caller, "user " + t + "/" + u + " " + p[4] + "d");
        return AdminReply.ok(user(identities.user(t, u)));
      }
      case "access" -> {
        return p.length == 5 && method.equals("GET")
            ? AdminReply.ok(reviews.userAccess(t, u))
            : notAllowed(method, p);
      }
      case "access-keys" -> {
        if (p.length != 5) {
          return notAllowed(method, p);
        }
        return switch (method) {
          case "GET" ->
              AdminReply.ok(
                  Map.of(
                      "accessKeys",
                      identities.accessKeys(t, identities.user(t, u).name()).stream()
                          .map(this::key)
                          .toList()));
          case "POST" -> {
            identities.user(t, u);
            consent(t, SupportWindow.Scope.ACCESS_KEYS, caller);
            IdentityService.NewAccessKey k = identities.createAccessKey(t, u);
            audit(caller, "access key " + k.accessKeyId() + " created for " + t + "/" + u);
            Map<String, String> out = new LinkedHashMap<>();
            out.put("accessKeyId", k.accessKeyId());
            out.put("secretAccessKey", k.secretAccessKey());
            out.put("tenant", t);
            out.put("user", u);
            out.put(
                "note",
                "the secret is shown this once; Coffre keeps it sealed and cannot show it again");
            yield new AdminReply(201, out);
          }
          default -> notAllowed(method, p);
        };
      }
      case "policies" -> {
        if (p.length == 5) {
          return method.equals("GET")
              ? AdminReply.ok(Map.of("policies", jsonValues(identities.userPolicies(t, u))))
              : notAllowed(method, p);
        }
        String name = p[5];
        return switch (method) {
          case "GET" -> {
            String doc = identities.userPolicies(t, u).get(name);
            yield doc == null
                ? AdminReply.error(
                    404, "NoSuchPolicy", "user " + u + " has no policy named " + name)
                : AdminReply.ok(json(doc));
          }
          case "PUT" -> {
            identities.user(t, u);
            consent(t, SupportWindow.Scope.POLICIES, caller);
            identities.putUserPolicy(t, u, name, new String(raw, StandardCharsets.UTF_8));
            audit(caller, "policy " + name + " of " + t + "/" + u + " set");
            yield AdminReply.ok(Map.of("policies", jsonValues(identities.userPolicies(t, u))));
          }
          case "DELETE" -> {
            identities.deleteUserPolicy(t, u, name);
            audit(caller, "policy " + name + " of " + t + "/" + u + " deleted");
            yield new AdminReply(204, null);
          }
          default -> notAllowed(method, p);
        };
      }
      default -> {
        return null;
      }
    }
  }

  private static Map<String, Object> jsonValues(Map<String, String> documents) {
    Map<String, Object> out = new LinkedHashMap<>();
    documents.forEach((k, v) -> out.put(k, json(v)));
    return out;
  }

  private AdminReply accessKeys(String method, String[] p, AdminApi.Caller caller) {
    if (p.length < 2) {
      return notAllowed(method, p);
    }
    String id = p[1];
    if (p.length == 2) {
      return switch (method) {
        case "GET" -> AdminReply.ok(key(identities.accessKey(id)));
        case "DELETE" -> {
          identities.deleteAccessKey(id);
          audit(caller, "access key " + id + " deleted");
          yield new AdminReply(204, null);
        }
        default -> notAllowed(method, p);
      };
    }
    if (p.length == 3
        && method.equals("POST")
        && (p[2].equals("activate") || p[2].equals("deactivate"))) {
      if (p[2].equals("activate")) {
        consent(identities.accessKey(id).tenant(), SupportWindow.Scope.ACCESS_KEYS, caller);
      }
      identities.setAccessKeyEnabled(id, p[2].equals("activate"));
      audit(caller, "access key " + id + " " + p[2] + "d");
      return AdminReply.ok(key(identities.accessKey(id)));
    }
    return notAllowed(method, p);
  }

  private AdminReply buckets(String method, String[] p, JsonNode body, AdminApi.Caller caller) {
    if (p.length < 2) {
      return notAllowed(method, p);
    }
    BucketName name = new BucketName(p[1]);
    if (p.length == 2) {
      return method.equals("GET")
          ? AdminReply.ok(bucket(buckets.get(name)))
          : notAllowed(method, p);
    }
    if (p.length == 3 && p[2].equals("quota") && method.equals("PUT")) {
      Quota q = quota(body);
      buckets.setQuota(name, q);
      audit(caller, "bucket " + name.value() + " quota set to " + q);
      return AdminReply.ok(bucket(buckets.get(name)));
    }
    if (p.length == 3 && p[2].equals("access") && method.equals("GET")) {
      return AdminReply.ok(reviews.bucketAccess(name));
    }
    return notAllowed(method, p);
  }

  private AdminReply lockouts(String method, String[] p, AdminApi.Caller caller) {
    if (p.length == 1 && method.equals("GET")) {
      return AdminReply.ok(
          Map.of(
              "lockouts",
              lockouts.entries().stream()
                  .map(
                      e ->
                          new LockoutJson(
                              e.accessKey(),
                              e.source() == null
                                  ? "interactive sign-ins"
                                  : "signatures from " + e.source(),
                              e.recentFailures(),
                              e.totalFailures(),
                              text(e.lastFailure()),
                              e.lastSource(),
                              text(e.lockedUntil()),
                              e.lockouts()))
                  .toList()));
    }
    if (p.length == 2 && method.equals("DELETE")) {
      boolean cleared = lockouts.clear(p[1]);
      if (cleared) {
        audit(caller, "lock-out of " + p[1] + " cleared");
      }
      return cleared
          ? new AdminReply(204, null)
          : AdminReply.error(404, "NotFound", "no failed authentications recorded for " + p[1]);
    }
    return notAllowed(method, p);
  }
}
