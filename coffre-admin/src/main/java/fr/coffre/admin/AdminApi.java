package fr.coffre.admin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.coffre.core.BucketName;
import fr.coffre.core.CoffreException;
import fr.coffre.core.OperatorRecord;
import fr.coffre.core.ProposalRecord;
import fr.coffre.core.SealedException;
import fr.coffre.core.TenantRecord;
import fr.coffre.service.AccessReviews;
import fr.coffre.service.AccessService;
import fr.coffre.service.AuditService;
import fr.coffre.service.BucketService;
import fr.coffre.service.Certificates;
import fr.coffre.service.IdentityService;
import fr.coffre.service.KeyService;
import fr.coffre.service.Lockouts;
import fr.coffre.service.Operators;
import fr.coffre.service.Proposals;
import fr.coffre.service.Reclassification;
import fr.coffre.service.ResidencyReports;
import fr.coffre.service.Sessions;
import fr.coffre.service.TenantConsent;
import fr.coffre.web.JsonProblem;
import fr.coffre.web.WebError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's API, without HTTP plumbing: a method, a path under {@code /admin/v1} and a JSON
 * body in; a status and a JSON body out. See docs/admin-api.md.
 */
public final class AdminApi {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  static final String PREFIX = "/admin/v1";

  /**
   * Where the admin API lives on its listener; other paths there are the operator console's pages.
   */
  public static final String PATH = "/admin";

  private static final Set<String> KEY_ACTIONS =
      Set.of(
          "enable",
          "disable",
          "rotate",
          "rewrap",
          "schedule-deletion",
          "cancel-deletion",
          "destroy",
          "certificate",
          "covered");

  /**
   * Duplicate keys are refused: with "last one wins", a reviewer and the server could read two
   * documents.
   */
  static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final KeyService keys;
  private final SealControl seal;
  private final TenantsApi tenants;
  private final IdentityService identities;
  private final BucketService buckets;

  public AdminApi(
      KeyService keys,
      SealControl seal,
      IdentityService identities,
      AccessService access,
      BucketService buckets,
      AccessReviews reviews,
      Lockouts lockouts) {
    this.keys = keys;
    this.seal = seal;
    this.tenants = new TenantsApi(identities, access, buckets, reviews, lockouts);
    this.identities = identities;
    this.buckets = buckets;
  }

  private ResidencyReports residency;
  private OperatorGate gate;
  private GovernanceApi governance;

  /**
   * Serves the consent rule (enrolments, support windows), named operators and four-eyes proposals
   * (docs/identities.md, "Operators and tenant consent").
   *
   * @param operatorSessions the signed-in operators' sessions (their idle timeout applies)
   */
  public AdminApi withGovernance(
      TenantConsent consent, Operators operators, Proposals proposals, Sessions operatorSessions) {
    this.gate = new OperatorGate(operators, proposals, operatorSessions);
    this.governance = new GovernanceApi(gate);
    this.tenants.withConsent(consent);
    return this;
  }

  /** The named operators' gate, or null when this API has none. */
  @Nullable OperatorGate gate() {
    return gate;
  }

  /** Serves {@code GET /buckets/{b}/residency} with these reports. */
  public AdminApi withResidency(ResidencyReports reports) {
    this.residency = reports;
    return this;
  }

  private Supplier<Object> scrub;
  private Reclassification reclassification;

  /** Serves {@code PUT /buckets/{b}/class}. */
  public AdminApi withReclassification(Reclassification r) {
    this.reclassification = r;
    return this;
  }

  private Supplier<Object> placementStatus;
  private Supplier<Object> scrubStatus;

  /**
   * Serves {@code GET /placement} (locations, volumes with health and capacity, classes) and {@code
   * GET /scrub} (the scrubber's last pass and whether one runs).
   */
  public AdminApi withStatus(Supplier<Object> placement, Supplier<Object> scrub) {
    this.placementStatus = placement;
    this.scrubStatus = scrub;
    return this;
  }

  /** Serves {@code POST /scrub}: one scrubber pass now, its result as the answer. */
  public AdminApi withScrub(Supplier<Object> scrub) {
    this.scrub = scrub;
    return this;
  }

  private Supplier<Object> lifecycle;
  private ClusterAdmin cluster;

  /** Serves {@code /nodes} (a node of a cluster). */
  public AdminApi withCluster(ClusterAdmin cluster) {
    this.cluster = cluster;
    return this;
  }

  private RootKeyRotationControl rotation;
  private @Nullable SigningKeyRotationControl signingRotation;

  /** Serves {@code POST /root-key/rotate} and {@code GET /root-key/rotation}. */
  public AdminApi withRootKeyRotation(RootKeyRotationControl rotation) {
    this.rotation = rotation;
    return this;
  }

  /** Serves {@code POST /signing-key/rotate}: a new signing key, online. */
  public AdminApi withSigningKeyRotation(SigningKeyRotationControl control) {
    this.signingRotation = control;
    return this;
  }

  private AdminReply rotateSigningKey(String method, Caller caller) {
    if (!method.equals("POST")) {
      return AdminReply.error(405, "MethodNotAllowed", method + " signing-key/rotate");
    }
    if (signingRotation == null) {
      return AdminReply.error(404, "NotFound", "this server has no online signing key rotation");
    }
    LOG.info(
        "admin: signing key rotation asked by {} from {}", caller.principal(), caller.address());
    return AdminReply.ok(signingRotation.rotate(caller.principal()));
  }

  private AdminReply rootKey(String method, String rest, JsonNode body, Caller caller) {
    if (rotation == null) {
      return AdminReply.error(404, "NotFound", "this server has no online root key rotation");
    }
    if (rest.equals("root-key/rotation")) {
      return method.equals("GET")
          ? AdminReply.ok(rotation.status())
          : AdminReply.error(405, "MethodNotAllowed", method + " root-key/rotation");
    }
    if (!method.equals("POST")) {
      return AdminReply.error(405, "MethodNotAllowed", method + " root-key/rotate");
    }
    int batchSize = body.path("batchSize").asInt(500);
    int settle = body.path("settleSeconds").asInt(60);
    if (batchSize < 1 || settle < 0) {
      return AdminReply.error(
          400,
          "InvalidArgument",
          "batchSize must be at least 1 and settleSeconds at least 0, not "
              + batchSize
              + " and "
              + settle);
    }
    try {
      LOG.info(
          "admin: root key rotation asked by {} from {}", caller.principal(), caller.address());
      return new AdminReply(
          202, rotation.start(text(body, "newLabel"), batchSize, settle, caller.principal()));
    } catch (RootKeyRotationControl.Refused e) {
      return AdminReply.error(409, "RotationRefused", e.getMessage());
    }
  }

  /** Serves {@code POST /lifecycle/run}: one lifecycle pass now, what it did as the answer. */
  public AdminApi withLifecycle(Supplier<Object> pass) {
    this.lifecycle = pass;
    return this;
  }

  /** The recorder of this API's calls in the audit trail. */
  AdminAudit auditing(AuditService audit, Clock clock) {
    return new AdminAudit(audit, this, identities, buckets, keys, clock);
  }

  IdentityService identities() {
    return identities;
  }

  private AdminReply nodes(String method, String[] parts, Caller caller) {
    if (cluster == null) {
      return AdminReply.error(
          404, "NotFound", "this server is not a node of a cluster (docs/cluster.md)");
    }
    if (parts.length == 1) {
      return method.equals("GET")
          ? AdminReply.ok(cluster.nodes())
          : AdminReply.error(405, "MethodNotAllowed", method + " nodes");
    }
    String node = parts[1];
    if (parts.length == 2) {
      if (!method.equals("DELETE")) {
        return AdminReply.error(405, "MethodNotAllowed", method + " nodes/" + node);
      }
      try {
        if (!cluster.remove(node)) {
          return AdminReply.error(404, "NoSuchNode", "no node " + node);
        }
      } catch (IllegalStateException e) {
        return AdminReply.error(409, "NodeRunning", e.getMessage());
      }
      LOG.info("admin: node {} removed by {} from {}", node, caller.principal(), caller.address());
      return new AdminReply(204, null);
    }
    if (parts.length == 3 && (parts[2].equals("drain") || parts[2].equals("activate"))) {
      if (!method.equals("POST")) {
        return AdminReply.error(405, "MethodNotAllowed", method + " nodes/" + node);
      }
      return cluster
          .setDraining(node, parts[2].equals("drain"))
          .map(AdminReply::ok)
          .orElseGet(() -> AdminReply.error(404, "NoSuchNode", "no node " + node));
    }
    return AdminReply.error(404, "NotFound", "no such admin resource: nodes/" + node);
  }

  /**
   * Who is calling and from where, as recorded in certificates and logs.
   *
   * @param operator the named operator, or null for the admin token
   * @param roles the named operator's roles (none for the admin token)
   * @param approving the proposal whose approval runs this call, or null
   */
  public record Caller(
      String principal,
      String address,
      @Nullable String operator,
      Set<OperatorRecord.Role> roles,
      @Nullable String approving) {
    public Caller(String principal, String address) {
      this(principal, address, null, Set.of(), null);
    }
  }

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
      if (caller.operator() != null) {
        String[] parts = rest.split("/");
        OperatorGate.authorize(caller.roles(), method, parts);
        if (caller.approving() == null && OperatorGate.fourEyes(method, parts)) {
          return propose(method, path, body, caller);
        }
      }
      return route(method, rest, json, body, caller);
    } catch (IOException e) {
      return AdminReply.error(
          400, "MalformedJson", "the request body is not JSON: " + jsonProblem(e));
    } catch (CoffreException e) {
      WebError error = WebError.of(e);
      if (error.serverFault()) {
        LOG.error("admin {} {} failed", method, path, e);
      }
      return AdminReply.error(error);
    } catch (RuntimeException e) {
      LOG.error("admin {} {} failed", method, path, e);
      return AdminReply.error(WebError.unexpected());
    }
  }

  /** Holds a four-eyes call as a proposal (202) for another operator to approve. */
  private AdminReply propose(String method, String path, byte[] body, Caller caller) {
    ProposalRecord p =
        gate.proposals()
            .propose(method, path, new String(body, StandardCharsets.UTF_8), caller.operator());
    LOG.info("admin: {} {} proposed by {} as {}", method, path, caller.operator(), p.id());
    Map<String, Object> out = new LinkedHashMap<>(GovernanceApi.proposal(p));
    out.put(
        "note",
        "four eyes: this call runs when another operator approves it (POST /admin/v1/proposals/"
            + p.id()
            + "/approve)");
    return new AdminReply(202, out);
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
        yield AdminReply.error(
            403, "WrongPassphrase", "the passphrase does not open the sealed root key");
      }
      case NOT_CREATED ->
          AdminReply.error(
              409,
              "NoSealedKey",
              "there is no sealed root key yet; create it with"
                  + " 'coffre admin unseal --create' (asks for the passphrase twice; at least 12 characters)");
      case NOT_SEALABLE ->
          AdminReply.error(
              409,
              "NotSealed",
              "this server's root key ("
                  + seal.rootKey()
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
    if (rest.equals("signing-keys") && method.equals("GET")) {
      return new AdminReply(200, keys.signingPublicKeysPem());
    }
    if (rest.equals("signing-key/rotate")) {
      return rotateSigningKey(method, caller);
    }
    if (rest.equals("root-key/rotate") || rest.equals("root-key/rotation")) {
      return rootKey(method, rest, body, caller);
    }
    if (rest.equals("keys")) {
      return switch (method) {
        case "GET" ->
            AdminReply.ok(Map.of("keys", keys.list().stream().map(KeysJson::of).toList()));
        case "POST" -> {
          String tenant =
              text(body, "tenant") == null ? TenantRecord.DEFAULT : text(body, "tenant");
          tenants.requireTenant(tenant);
          yield new AdminReply(
              201,
              KeysJson.of(keys.create(text(body, "alias"), text(body, "description"), tenant)));
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
        return method.equals("GET")
            ? AdminReply.ok(KeysJson.of(keys.describe(ref)))
            : AdminReply.error(405, "MethodNotAllowed", method + " on a key");
      }
      if (action.equals("certificate")) {
        return method.equals("GET")
            ? keys.certificate(ref)
                .<AdminReply>map(c -> new AdminReply(200, c))
                .orElse(
                    AdminReply.error(
                        404, "NoCertificate", "key " + ref + " has not been destroyed"))
            : AdminReply.error(405, "MethodNotAllowed", method + " certificate");
      }
      if (action.equals("covered")) {
        if (!method.equals("GET")) {
          return AdminReply.error(405, "MethodNotAllowed", method + " covered");
        }
        String keyRef = ref;
        return keys.erasureCoverage(ref)
            .<AdminReply>map(
                d -> {
                  Map<String, Object> out = new java.util.LinkedHashMap<>();
                  out.put("digest", fr.coffre.core.ErasureCoverage.digest(d));
                  out.put("entries", fr.coffre.core.ErasureCoverage.count(d));
                  out.put("document", new String(d, java.nio.charset.StandardCharsets.UTF_8));
                  return AdminReply.ok(out);
                })
            .orElse(
                AdminReply.error(
                    404,
                    "NoCertificate",
                    "key "
                        + keyRef
                        + " has no list of covered objects (not destroyed, or destroyed"
                        + " before certificates of format 2)"));
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
          yield AdminReply.ok(
              KeysJson.of(
                  keys.scheduleDeletion(
                      ref, days == null ? KeyService.MAX_PENDING_DAYS : days.asInt(-1))));
        }
        case "cancel-deletion" -> AdminReply.ok(KeysJson.of(keys.cancelDeletion(ref)));
        case "destroy" ->
            new AdminReply(
                200,
                Certificates.toJson(
                    keys.destroy(
                        ref,
                        body.path("override").asBoolean(false),
                        text(body, "reason"),
                        caller.principal(),
                        caller.address())));
        default -> throw new IllegalStateException(action);
      };
    }
    if (rest.equals("scrub") && method.equals("GET") && scrubStatus != null) {
      return AdminReply.ok(scrubStatus.get());
    }
    if (rest.equals("placement") && placementStatus != null) {
      return method.equals("GET")
          ? AdminReply.ok(placementStatus.get())
          : AdminReply.error(405, "MethodNotAllowed", method + " placement");
    }
    if (rest.equals("scrub") && scrub != null) {
      return method.equals("POST")
          ? AdminReply.ok(scrub.get())
          : AdminReply.error(405, "MethodNotAllowed", method + " scrub");
    }
    if (rest.equals("lifecycle/run") && lifecycle != null) {
      if (!method.equals("POST")) {
        return AdminReply.error(405, "MethodNotAllowed", method + " lifecycle/run");
      }
      LOG.info("admin: lifecycle pass run by {} from {}", caller.principal(), caller.address());
      return AdminReply.ok(lifecycle.get());
    }
    String[] parts = rest.split("/");
    if (governance != null) {
      AdminReply r = governance.route(method, parts, body, caller);
      if (r != null) {
        return r;
      }
    }
    if (parts[0].equals("nodes")) {
      return nodes(method, parts, caller);
    }
    if (parts.length == 3
        && parts[0].equals("buckets")
        && parts[2].equals("class")
        && reclassification != null) {
      if (!method.equals("PUT")) {
        return AdminReply.error(405, "MethodNotAllowed", method + " class");
      }
      String to = text(body, "class");
      if (to == null) {
        return AdminReply.error(400, "InvalidArgument", "class is required");
      }
      return AdminReply.ok(
          reclassification.reclassify(
              new BucketName(parts[1]), to, body.path("migrate").asBoolean(false)));
    }
    if (parts.length == 3
        && parts[0].equals("buckets")
        && parts[2].equals("residency")
        && residency != null) {
      return method.equals("GET")
          ? new AdminReply(200, residency.report(new BucketName(parts[1])))
          : AdminReply.error(405, "MethodNotAllowed", method + " residency");
    }
    AdminReply reply = rest.isEmpty() ? null : tenants.route(method, parts, body, raw, caller);
    return reply != null
        ? reply
        : AdminReply.error(404, "NotFound", "no such admin resource: " + PREFIX + "/" + rest);
  }

  static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  /** Serialises a reply body: text as is, everything else as JSON. */
  static byte[] bytes(Object body) {
    try {
      return body instanceof String s
          ? s.getBytes(StandardCharsets.UTF_8)
          : JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What is wrong with a JSON document, without the parser's internals (source, class names). */
  static String jsonProblem(IOException e) {
    return JsonProblem.describe(e);
  }
}
