package fr.coffre.admin;

import com.fasterxml.jackson.databind.JsonNode;
import fr.coffre.core.GovernanceException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.OperatorRecord;
import fr.coffre.core.OperatorRecord.Role;
import fr.coffre.core.ProposalRecord;
import fr.coffre.service.Operators;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The admin routes for named operators and four-eyes proposals (paths relative to {@code
 * /admin/v1}): {@code operators}, {@code operators/{name}}, {@code operators/{name}/roles}, {@code
 * proposals}, {@code proposals/{id}}. Approving a proposal runs a call, so the HTTP edge serves it
 * ({@link AdminHandler}).
 */
final class GovernanceApi {
  private final OperatorGate gate;

  GovernanceApi(OperatorGate gate) {
    this.gate = gate;
  }

  record OperatorJson(
      String name,
      java.util.List<String> roles,
      String created,
      String createdBy,
      int failures,
      String lockedUntil) {
    static OperatorJson of(OperatorRecord o) {
      return new OperatorJson(
          o.name(),
          o.roles().stream().sorted().map(Role::wire).toList(),
          o.created().toString(),
          o.createdBy(),
          o.failures(),
          o.lockedUntil() == null ? null : o.lockedUntil().toString());
    }
  }

  static Map<String, Object> proposal(ProposalRecord p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", p.id());
    out.put("call", p.method() + " " + p.path());
    out.put("proposedBy", p.proposedBy());
    out.put("proposed", p.proposed().toString());
    out.put("expires", p.expires().toString());
    out.put("approvedBy", p.approvedBy());
    out.put("approved", p.approved() == null ? null : p.approved().toString());
    out.put("status", p.result() == 0 ? null : p.result());
    return out;
  }

  static Set<Role> roles(JsonNode body) {
    JsonNode r = body.get("roles");
    if (r == null || !r.isArray() || r.isEmpty()) {
      throw new InvalidArgumentException(
          "roles is required: a list of operator, security-officer, auditor");
    }
    EnumSet<Role> out = EnumSet.noneOf(Role.class);
    r.forEach(n -> out.add(Role.parse(n.asText())));
    return out;
  }

  /** Serves the route, or null when {@code p} is not one of these. */
  AdminReply route(String method, String[] p, JsonNode body, AdminApi.Caller caller) {
    Operators operators = gate.operators();
    if (p[0].equals("operators")) {
      if (p.length == 1) {
        return switch (method) {
          case "GET" ->
              AdminReply.ok(
                  Map.of("operators", operators.list().stream().map(OperatorJson::of).toList()));
          case "POST" -> {
            Set<Role> roles = roles(body);
            if (!operators.any() && !roles.contains(Role.SECURITY_OFFICER)) {
              throw new GovernanceException(
                  GovernanceException.Reason.ROLE_REFUSED,
                  "the first operator must be a security officer: it creates the others, and the"
                      + " admin token is retired once it exists");
            }
            Operators.NewOperator n =
                operators.create(
                    AdminApi.text(body, "name"),
                    roles,
                    AdminApi.text(body, "password"),
                    caller.operator() == null ? "admin token (bootstrap)" : caller.operator());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("operator", OperatorJson.of(n.operator()));
            out.put("totpSecret", n.totpSecret());
            out.put("otpauthUri", n.otpauthUri());
            out.put(
                "note", "enter the TOTP secret in an authenticator app now: it is shown this once");
            yield new AdminReply(201, out);
          }
          default -> AdminReply.error(405, "MethodNotAllowed", method + " operators");
        };
      }
      String name = p[1];
      if (p.length == 2) {
        return switch (method) {
          case "GET" -> AdminReply.ok(OperatorJson.of(operators.get(name)));
          case "DELETE" -> {
            operators.delete(name);
            yield new AdminReply(204, null);
          }
          default -> AdminReply.error(405, "MethodNotAllowed", method + " operators/" + name);
        };
      }
      if (p.length == 3 && p[2].equals("roles")) {
        return method.equals("PUT")
            ? AdminReply.ok(OperatorJson.of(operators.setRoles(name, roles(body))))
            : AdminReply.error(405, "MethodNotAllowed", method + " roles");
      }
      return null;
    }
    if (p[0].equals("proposals")) {
      if (!method.equals("GET")) {
        return p.length == 3 && p[2].equals("approve")
            ? null // served by the HTTP edge
            : AdminReply.error(405, "MethodNotAllowed", method + " proposals");
      }
      if (p.length == 1) {
        return AdminReply.ok(
            Map.of(
                "proposals",
                gate.proposals().list().stream().map(GovernanceApi::proposal).toList()));
      }
      return p.length == 2 ? AdminReply.ok(proposal(gate.proposals().get(p[1]))) : null;
    }
    return null;
  }
}
