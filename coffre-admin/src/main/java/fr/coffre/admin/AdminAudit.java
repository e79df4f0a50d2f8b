package fr.coffre.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.coffre.core.AuditEvent;
import fr.coffre.core.BucketName;
import fr.coffre.core.TenantRecord;
import fr.coffre.service.AuditService;
import fr.coffre.service.BucketService;
import fr.coffre.service.IdentityService;
import fr.coffre.service.KeyService;
import fr.coffre.web.WebError;
import java.io.IOException;
import java.time.Clock;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * Puts every operator call in the audit trail, in the chain of the tenant it touches (so the tenant
 * sees it in its export) or in {@code _system}. A change records the resource as the admin API
 * shows it before and after the call; secrets are removed from anything recorded.
 */
final class AdminAudit {
  /** Last path segments that name an action on their parent rather than a resource. */
  private static final Set<String> ACTIONS =
      Set.of(
          "enable",
          "disable",
          "quota",
          "rotate",
          "rewrap",
          "schedule-deletion",
          "cancel-deletion",
          "destroy",
          "activate",
          "deactivate",
          "class");

  private static final int MAX_SNAPSHOT = 16 * 1024;

  private final AuditService audit;
  private final AdminApi api;
  private final IdentityService identities;
  private final BucketService buckets;
  private final KeyService keys;
  private final Clock clock;

  AdminAudit(
      AuditService audit,
      AdminApi api,
      IdentityService identities,
      BucketService buckets,
      KeyService keys,
      Clock clock) {
    this.audit = audit;
    this.api = api;
    this.identities = identities;
    this.buckets = buckets;
    this.keys = keys;
    this.clock = clock;
  }

  /** What a change looked like before it ran, to be completed by {@link #record}. */
  record Before(String tenant, String subject, JsonNode state) {}

  /**
   * Captures the state a change starts from and records that it starts (status 0); throws, and the
   * change must not run, when that cannot be recorded.
   */
  Before before(String method, String path, byte[] body, AdminApi.Caller caller, String requestId) {
    String tenant = tenantOf(path, body);
    if (method.equals("GET") || method.equals("HEAD")) {
      return new Before(tenant, null, null);
    }
    String subject = subject(method, path);
    Before before = new Before(tenant, subject, subject == null ? null : snapshot(subject, caller));
    audit.recordFor(
        tenant,
        new AuditEvent(
            clock.instant(),
            requestId,
            "admin",
            AuditEvent.Actor.operator(caller.principal()),
            caller.address(),
            false,
            method + " " + path,
            null,
            null,
            null,
            0,
            null,
            0,
            0,
            null));
    return before;
  }

  /** Records the call; throws when it could not be recorded and the server fails closed. */
  void record(
      String method,
      String path,
      Before before,
      AdminReply reply,
      AdminApi.Caller caller,
      String requestId) {
    String details = null;
    if (!method.equals("GET") && !method.equals("HEAD")) {
      ObjectNode d = AdminApi.JSON.createObjectNode();
      d.set("before", before.state());
      JsonNode after =
          before.subject() != null
              ? snapshot(before.subject(), caller)
              : reply.status() < 300 ? redacted(AdminApi.JSON.valueToTree(reply.body())) : null;
      d.set("after", after);
      details = d.toString();
    }
    String error = reply.body() instanceof WebError.Body e ? e.error() : null;
    long bytesOut = reply.body() == null ? 0 : AdminApi.bytes(reply.body()).length;
    audit.recordFor(
        before.tenant(),
        new AuditEvent(
            clock.instant(),
            requestId,
            "admin",
            AuditEvent.Actor.operator(caller.principal()),
            caller.address(),
            false,
            method + " " + path,
            null,
            null,
            null,
            reply.status(),
            error,
            0,
            bytesOut,
            details));
  }

  /** A refused admin call (no or wrong token), in the system chain. */
  void refused(String method, String path, String address, String requestId) {
    audit.recordFor(
        null,
        new AuditEvent(
            clock.instant(),
            requestId,
            "admin",
            AuditEvent.Actor.unauthenticated(null),
            address,
            false,
            method + " " + path,
            null,
            null,
            null,
            401,
            "Unauthorized",
            0,
            0,
            null));
  }

  /** The tenant an admin path concerns, or null (the system chain). */
  String tenantOf(String path, byte[] body) {
    String[] p =
        path.startsWith(AdminApi.PREFIX + "/")
            ? path.substring(AdminApi.PREFIX.length() + 1).split("/")
            : new String[0];
    try {
      if (p.length == 0) {
        return null;
      }
      return switch (p[0]) {
        case "tenants" ->
            p.length >= 2 ? existingTenant(p[1]) : existingTenant(field(body, "name"));
        case "buckets" -> p.length >= 2 ? buckets.get(new BucketName(p[1])).tenant() : null;
        case "access-keys", "lockouts" ->
            p.length >= 2 ? identities.tenantOfAccessKey(p[1]).orElse(null) : null;
        case "keys" ->
            p.length >= 2
                ? keys.describe(p[1]).key().tenant()
                : field(body, "tenant") != null
                    ? existingTenant(field(body, "tenant"))
                    : TenantRecord.DEFAULT;
        case "audit" ->
            p.length >= 2 && !p[1].equals(AuditService.SYSTEM_CHAIN) ? existingTenant(p[1]) : null;
        default -> null;
      };
    } catch (RuntimeException e) {
      return null; // no such tenant, bucket or key: the call fails, and goes to the system chain
    }
  }

  private String existingTenant(String name) {
    if (name == null) {
      return null;
    }
    try {
      return identities.tenant(name).name();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String field(byte[] body, String name) {
    try {
      JsonNode n = body.length == 0 ? null : AdminApi.JSON.readTree(body);
      return n == null || !n.hasNonNull(name) ? null : n.get(name).asText();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The resource whose state a change shows: the path itself, or its parent when the last segment
   * is an action; null for a creation (POST to a collection), whose "after" is the reply.
   */
  private static String subject(String method, String path) {
    int slash = path.lastIndexOf('/');
    String last = path.substring(slash + 1);
    if (ACTIONS.contains(last)) {
      return path.substring(0, slash);
    }
    return method.equals("POST") ? null : path;
  }

  private JsonNode snapshot(String path, AdminApi.Caller caller) {
    AdminReply r = api.handle("GET", path, new byte[0], caller);
    if (r.status() != 200 || r.body() == null) {
      return null;
    }
    JsonNode node =
        r.body() instanceof String s
            ? AdminApi.JSON.getNodeFactory().textNode(s)
            : redacted(AdminApi.JSON.valueToTree(r.body()));
    if (node.toString().length() > MAX_SNAPSHOT) {
      return AdminApi.JSON
          .getNodeFactory()
          .textNode("(larger than " + MAX_SNAPSHOT + " characters: not recorded)");
    }
    return node;
  }

  /** A copy without any field that could hold a secret. */
  static JsonNode redacted(JsonNode node) {
    if (node == null) {
      return null;
    }
    JsonNode copy = node.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node.isObject()) {
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String n = names.next().toLowerCase(Locale.ROOT);
        if (n.contains("secret")
            || n.contains("passphrase")
            || n.contains("token")
            || n.contains("password")
            || n.contains("otpauth")) {
          names.remove();
        }
      }
      node.forEach(AdminAudit::strip);
    } else if (node.isArray()) {
      node.forEach(AdminAudit::strip);
    }
  }
}
