package fr.coffre.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.coffre.core.CoffreException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.KmsKeyException;
import fr.coffre.core.SealedException;
import fr.coffre.service.Certificates;
import fr.coffre.service.KeyService;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's API, without HTTP plumbing: a method, a path under {@code /admin/v1} and a JSON
 * body in; a status and a JSON body out. See docs/admin-api.md.
 */
public final class AdminApi {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  static final String PREFIX = "/admin/v1";
  /** Where the admin API lives on its listener; other paths there are the operator console's pages. */
  public static final String PATH = "/admin";
  private static final Set<String> KEY_ACTIONS = Set.of("enable", "disable", "rotate", "rewrap",
      "schedule-deletion", "cancel-deletion", "destroy", "certificate");
  static final ObjectMapper JSON = new ObjectMapper();

  private final KeyService keys;
  private final SealControl seal;
  private final TenantsApi tenants;
  private final fr.coffre.service.IdentityService identities;
  private final fr.coffre.service.BucketService buckets;

  public AdminApi(KeyService keys, SealControl seal, fr.coffre.service.IdentityService identities,
      fr.coffre.service.AccessService access, fr.coffre.service.BucketService buckets,
      fr.coffre.service.AccessReviews reviews, fr.coffre.service.Lockouts lockouts) {
    this.keys = keys;
    this.seal = seal;
    this.tenants = new TenantsApi(identities, access, buckets, reviews, lockouts);
    this.identities = identities;
    this.buckets = buckets;
  }

  private fr.coffre.service.ResidencyReports residency;

  /** Serves {@code GET /buckets/{b}/residency} with these reports. */
  public AdminApi withResidency(fr.coffre.service.ResidencyReports reports) {
    this.residency = reports;
    return this;
  }

  private java.util.function.Supplier<Object> scrub;
  private fr.coffre.service.Reclassification reclassification;

  /** Serves {@code PUT /buckets/{b}/class}. */
  public AdminApi withReclassification(fr.coffre.service.Reclassification r) {
    this.reclassification = r;
    return this;
  }

  private java.util.function.Supplier<Object> placementStatus;
  private java.util.function.Supplier<Object> scrubStatus;

  /**
   * Serves {@code GET /placement} (locations, volumes with health and capacity, classes) and
   * {@code GET /scrub} (the scrubber's last pass and whether one runs).
   */
  public AdminApi withStatus(java.util.function.Supplier<Object> placement, java.util.function.Supplier<Object> scrub) {
    this.placementStatus = placement;
    this.scrubStatus = scrub;
    return this;
  }

  /** Serves {@code POST /scrub}: one scrubber pass now, its result as the answer. */
  public AdminApi withScrub(java.util.function.Supplier<Object> scrub) {
    this.scrub = scrub;
    return this;
  }

  /** The recorder of this API's calls in the audit trail. */
  AdminAudit auditing(fr.coffre.service.AuditService audit, java.time.Clock clock) {
    return new AdminAudit(audit, this, identities, buckets, keys, clock);
  }

  fr.coffre.service.IdentityService identities() {
    return identities;
  }

  /** Who is calling and from where, as recorded in certificates and logs. */
  public record Caller(String principal, String address) {}

  AdminReply handle(String method, String path, byte[] body, Caller caller) {
    if (!path.startsWith(PREFIX + "/")) {
      return AdminReply.error(404, "NotFound", "no such admin resource: " + path);
    }
    String rest = path.substring(PREFIX.length() + 1);
    try {
      JsonNode json = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
      if (json == null || !json.isObject()) {
        return AdminReply.error(400, "MalformedJson", "the request body must be a JSON object");
      }
      return route(method, rest, json, body, caller);
    } catch (IOException e) {
      return AdminReply.error(400, "MalformedJson", "the request body is not JSON: " + e.getMessage());
    } catch (SealedException e) {
      return AdminReply.error(503, "Sealed", e.getMessage());
    } catch (KmsKeyException e) {
      return AdminReply.error(e.reason() == KmsKeyException.Reason.NOT_FOUND ? 404 : 409,
          switch (e.reason()) {
            case NOT_FOUND -> "KeyNotFound";
            case DISABLED -> "KeyDisabled";
            case PENDING_DELETION -> "KeyPendingDeletion";
            case DESTROYED -> "KeyDestroyed";
          }, e.getMessage());
    } catch (InvalidArgumentException e) {
      return AdminReply.error(400, "InvalidArgument", e.getMessage());
    } catch (fr.coffre.core.IdentityException e) {
      return switch (e.reason()) {
        case NO_SUCH_TENANT -> AdminReply.error(404, "NoSuchTenant", e.getMessage());
        case NO_SUCH_USER -> AdminReply.error(404, "NoSuchUser", e.getMessage());
        case NO_SUCH_ACCESS_KEY -> AdminReply.error(404, "NoSuchAccessKey", e.getMessage());
        case NO_SUCH_POLICY -> AdminReply.error(404, "NoSuchPolicy", e.getMessage());
        case TENANT_EXISTS -> AdminReply.error(409, "TenantExists", e.getMessage());
        case USER_EXISTS -> AdminReply.error(409, "UserExists", e.getMessage());
        case TENANT_NOT_EMPTY -> AdminReply.error(409, "TenantNotEmpty", e.getMessage());
        case LIMIT_EXCEEDED -> AdminReply.error(409, "LimitExceeded", e.getMessage());
      };
    } catch (fr.coffre.core.MalformedPolicyException e) {
      return AdminReply.error(400, "MalformedPolicy", e.getMessage());
    } catch (fr.coffre.core.PlacementRefusedException e) {
      return switch (e.reason()) {
        case UNKNOWN_CLASS -> AdminReply.error(400, "InvalidSensitivityClass", e.getMessage());
        case KEY_MODE -> AdminReply.error(409, "KeyModeRefused", e.getMessage());
        case UNSATISFIABLE -> AdminReply.error(409, "PlacementNotSatisfiable", e.getMessage());
        case NEVER_SATISFIABLE -> AdminReply.error(409, "PlacementNotSatisfiable", e.getMessage());
        case DATA_OUT_OF_CLASS -> AdminReply.error(409, "ReclassificationRefused", e.getMessage());
      };
    } catch (fr.coffre.core.NoSuchBucketException e) {
      return AdminReply.error(404, "NoSuchBucket", e.getMessage());
    } catch (fr.coffre.core.InvalidBucketNameException e) {
      return AdminReply.error(400, "InvalidBucketName", e.getMessage());
    } catch (CoffreException e) {
      LOG.error("admin {} {} failed", method, path, e);
      return AdminReply.error(500, "InternalError", e.messageIsPublic() ? e.getMessage() : "internal error");
    } catch (RuntimeException e) {
      LOG.error("admin {} {} failed", method, path, e);
      return AdminReply.error(500, "InternalError", "internal error; see the server log");
    }
  }

  /**
   * {@code POST unseal {"passphrase": "...", "create": false}}: opens the sealed root key; with
   * {@code create} it first makes the sealed key (once, strong passphrase only). A wrong passphrase
   * is refused even when the key is already open.
   */
  private AdminReply unseal(JsonNode body, Caller caller) {
    String passphrase = text(body, "passphrase");
    if (passphrase == null || passphrase.isEmpty()) {
      return AdminReply.error(400, "InvalidArgument", "passphrase is required");
    }
    if (body != null && body.path("create").asBoolean(false)) {
      try {
        seal.create(passphrase.toCharArray());
      } catch (IllegalArgumentException e) {
        return AdminReply.error(400, "WeakPassphrase", e.getMessage());
      } catch (IllegalStateException e) {
        return AdminReply.error(409, "SealedKeyExists", e.getMessage());
      }
      LOG.info("sealed root key created by {} from {}", caller.principal(), caller.address());
    }
    return switch (seal.unseal(passphrase.toCharArray())) {
      case UNSEALED -> {
        LOG.info("unseal by {} from {}: passphrase accepted", caller.principal(), caller.address());
        yield AdminReply.ok(Map.of("sealed", seal.sealed()));
      }
      case WRONG_PASSPHRASE -> {
        LOG.warn("unseal refused: wrong passphrase (from {})", caller.address());
        yield AdminReply.error(403, "WrongPassphrase", "the passphrase does not open the sealed root key");
      }
      case NOT_CREATED -> AdminReply.error(409, "NoSealedKey", "there is no sealed root key yet; create it with"
          + " 'coffre admin unseal --create' (asks for the passphrase twice; at least 12 characters)");
      case NOT_SEALABLE -> AdminReply.error(409, "NotSealed", "this server's root key (" + seal.rootKey()
          + ") is not passphrase-sealed; there is nothing to unseal");
    };
  }

  private AdminReply route(String method, String rest, JsonNode body, byte[] raw, Caller caller) {
    if (rest.equals("status") && method.equals("GET")) {
      return AdminReply.ok(Map.of("sealed", seal.sealed(), "rootKey", seal.rootKey()));
    }
    if (rest.equals("unseal") && method.equals("POST")) {
      return unseal(body, caller);
    }
    if (seal.sealed()) {
      throw new SealedException();
    }
    if (rest.equals("signing-key") && method.equals("GET")) {
      return new AdminReply(200, keys.signingPublicKeyPem());
    }
    if (rest.equals("keys")) {
      return switch (method) {
        case "GET" -> AdminReply.ok(Map.of("keys", keys.list().stream().map(KeysJson::of).toList()));
        case "POST" -> {
          String tenant = text(body, "tenant") == null ? fr.coffre.core.TenantRecord.DEFAULT : text(body, "tenant");
          tenants.requireTenant(tenant);
          yield new AdminReply(201, KeysJson.of(keys.create(text(body, "alias"), text(body, "description"), tenant)));
        }
        default -> AdminReply.error(405, "MethodNotAllowed", method + " /keys");
      };
    }
    if (rest.startsWith("keys/")) {
      String ref = rest.substring(5);
      int slash = ref.lastIndexOf('/');
      String action = slash < 0 ? null : ref.substring(slash + 1);
      if (action != null && KEY_ACTIONS.contains(action)) {
        ref = ref.substring(0, slash);
      } else {
        action = null;
      }
      if (action == null) {
        return method.equals("GET") ? AdminReply.ok(KeysJson.of(keys.describe(ref)))
            : AdminReply.error(405, "MethodNotAllowed", method + " on a key");
      }
      if (action.equals("certificate")) {
        return method.equals("GET")
            ? keys.certificate(ref).<AdminReply>map(c -> new AdminReply(200, c))
                .orElse(AdminReply.error(404, "NoCertificate", "key " + ref + " has not been destroyed"))
            : AdminReply.error(405, "MethodNotAllowed", method + " certificate");
      }
      if (!method.equals("POST")) {
        return AdminReply.error(405, "MethodNotAllowed", "key actions are POST");
      }
      LOG.info("admin: key {} {} by {} from {}", ref, action, caller.principal(), caller.address());
      return switch (action) {
        case "enable" -> AdminReply.ok(KeysJson.of(keys.enable(ref)));
        case "disable" -> AdminReply.ok(KeysJson.of(keys.disable(ref)));
        case "rotate" -> AdminReply.ok(KeysJson.of(keys.rotate(ref)));
        case "rewrap" -> {
          long n = keys.rewrap(ref);
          yield AdminReply.ok(Map.of("rewrapped", n, "key", KeysJson.of(keys.describe(ref))));
        }
        case "schedule-deletion" -> {
          JsonNode days = body.get("pendingDays");
          yield AdminReply.ok(KeysJson.of(keys.scheduleDeletion(ref,
              days == null ? KeyService.MAX_PENDING_DAYS : days.asInt(-1))));
        }
        case "cancel-deletion" -> AdminReply.ok(KeysJson.of(keys.cancelDeletion(ref)));
        case "destroy" -> new AdminReply(200, Certificates.toJson(keys.destroy(ref,
            body.path("override").asBoolean(false), text(body, "reason"), caller.principal(), caller.address())));
        default -> throw new IllegalStateException(action);
      };
    }
    if (rest.equals("scrub") && method.equals("GET") && scrubStatus != null) {
      return AdminReply.ok(scrubStatus.get());
    }
    if (rest.equals("placement") && placementStatus != null) {
      return method.equals("GET") ? AdminReply.ok(placementStatus.get())
          : AdminReply.error(405, "MethodNotAllowed", method + " placement");
    }
    if (rest.equals("scrub") && scrub != null) {
      return method.equals("POST") ? AdminReply.ok(scrub.get()) : AdminReply.error(405, "MethodNotAllowed", method + " scrub");
    }
    String[] parts = rest.split("/");
    if (parts.length == 3 && parts[0].equals("buckets") && parts[2].equals("class") && reclassification != null) {
      if (!method.equals("PUT")) {
        return AdminReply.error(405, "MethodNotAllowed", method + " class");
      }
      String to = text(body, "class");
      if (to == null) {
        return AdminReply.error(400, "InvalidArgument", "class is required");
      }
      return AdminReply.ok(reclassification.reclassify(new fr.coffre.core.BucketName(parts[1]), to,
          body.path("migrate").asBoolean(false)));
    }
    if (parts.length == 3 && parts[0].equals("buckets") && parts[2].equals("residency") && residency != null) {
      return method.equals("GET") ? new AdminReply(200, residency.report(new fr.coffre.core.BucketName(parts[1])))
          : AdminReply.error(405, "MethodNotAllowed", method + " residency");
    }
    AdminReply reply = rest.isEmpty() ? null : tenants.route(method, parts, body, raw, caller);
    return reply != null ? reply : AdminReply.error(404, "NotFound", "no such admin resource: " + PREFIX + "/" + rest);
  }

  static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  /** Serialises a reply body: text as is, everything else as JSON. */
  static byte[] bytes(Object body) {
    try {
      return body instanceof String s ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8)
          : JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

}
