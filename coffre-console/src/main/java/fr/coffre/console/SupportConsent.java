package fr.coffre.console;

import com.fasterxml.jackson.databind.JsonNode;
import fr.coffre.core.CoffreException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.Principal;
import fr.coffre.core.SupportWindow;
import fr.coffre.service.IdentityService;
import fr.coffre.web.OriginCheck;
import fr.coffre.web.WebError;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The tenant's side of the consent rule (docs/identities.md, "Operators and tenant consent"):
 * {@code POST /api/enrol} redeems the operator's one-time enrolment token for the tenant's first
 * admin (no session: this is how the admin gets an account), and {@code /api/support-windows} lets
 * a signed-in tenant admin list, open ({@code POST {"scope": ["access-keys"], "minutes": 60}}) and
 * revoke ({@code DELETE /api/support-windows/ID}) windows of operator help. Every call is recorded
 * in the tenant's audit chain.
 */
final class SupportConsent {
  private final ConsoleServices s;
  private final ConsoleRecorder recorder;

  SupportConsent(ConsoleServices s, ConsoleRecorder recorder) {
    this.s = s;
    this.recorder = recorder;
  }

  /** {@code POST /api/enrol {"tenant", "token", "user"}}: the first admin's own credentials. */
  boolean enrol(Request request, Response response, Callback callback, String requestId)
      throws Exception {
    if (!request.getMethod().equals("POST")) {
      return Web.json(
          response, callback, Reply.error(405, "MethodNotAllowed", "enrolment is POST"));
    }
    if (!OriginCheck.allows(request)) {
      return Web.json(
          response, callback, Reply.error(403, "CsrfRefused", "enrol from the console's own page"));
    }
    JsonNode body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] bytes = in.readNBytes(ConsoleHandler.MAX_JSON + 1);
      body =
          bytes.length == 0 || bytes.length > ConsoleHandler.MAX_JSON
              ? null
              : Web.JSON.readTree(bytes);
    } catch (IOException e) {
      body = null;
    }
    String tenant = body == null ? null : StorageApi.text(body, "tenant");
    String token = body == null ? null : StorageApi.text(body, "token");
    String user = body == null ? null : StorageApi.text(body, "user");
    if (tenant == null || token == null || user == null) {
      return Web.json(
          response,
          callback,
          Reply.error(400, "InvalidArgument", "tenant, token and user are required"));
    }
    ConsoleRecorder.Context ctx =
        new ConsoleRecorder.Context(
            requestId,
            Request.getRemoteAddr(request),
            request.isSecure(),
            "EnrolTenantAdmin",
            null,
            null);
    IdentityService.NewAccessKey k;
    try {
      k = s.consent().redeem(tenant, token, user);
    } catch (CoffreException e) {
      WebError error = WebError.of(e);
      recorder.refusedSignIn(ctx, null, error.status(), error.body().error());
      return Web.json(response, callback, Reply.error(error));
    }
    Principal admin = s.identities().principal(k.accessKeyId()).orElseThrow();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tenant", k.tenant());
    out.put("user", k.user());
    out.put("accessKey", k.accessKeyId());
    out.put("secretKey", k.secretAccessKey());
    out.put(
        "note",
        "you are this tenant's admin; the secret is shown this once. Open a support window"
            + " (POST /api/support-windows) when you want the operator's help with identities.");
    recorder.finished(ctx, admin, 201, null, 0, 0);
    return Web.json(response, callback, Reply.created(out));
  }

  static Map<String, Object> window(SupportWindow w, boolean open) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", w.id());
    out.put("scope", List.of(w.scopeText().split(",")));
    out.put("openedBy", w.openedBy());
    out.put("opened", w.opened().toString());
    out.put("expires", w.expires().toString());
    out.put("revoked", w.revoked() == null ? null : w.revoked().toString());
    out.put("revokedBy", w.revokedBy());
    out.put("open", open);
    return out;
  }

  private static String details(SupportWindow w) {
    try {
      return Web.JSON.writeValueAsString(
          Map.of(
              "supportWindow",
              w.id(),
              "scope",
              w.scopeText(),
              "expires",
              w.expires().toString(),
              "revoked",
              w.revoked() == null ? "" : w.revoked().toString()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Routes {@code support-windows}; null when the path names something else. */
  Call route(String method, List<String> p) {
    if (!p.get(0).equals("support-windows") || s.consent() == null) {
      return null;
    }
    if (p.size() == 1 && method.equals("GET")) {
      return new Call(
          "ListSupportWindows",
          null,
          null,
          false,
          (who, in) -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tenant", who.tenant());
            out.put("consentRequired", s.consent().guarded(who.tenant()));
            out.put("tenantAdmin", s.consent().isTenantAdmin(who));
            out.put(
                "windows",
                s.consent().windows(who.tenant()).stream()
                    .map(w -> window(w, s.consent().isOpen(w)))
                    .toList());
            return Reply.ok(out);
          });
    }
    if (p.size() == 1 && method.equals("POST")) {
      return new Call(
          "OpenSupportWindow",
          null,
          null,
          true,
          (who, in) -> {
            JsonNode body = in.json();
            JsonNode scope = body.get("scope");
            if (scope == null || !scope.isArray() || scope.isEmpty()) {
              throw new InvalidArgumentException(
                  "scope is required: a list of users, access-keys, policies");
            }
            EnumSet<SupportWindow.Scope> set = EnumSet.noneOf(SupportWindow.Scope.class);
            scope.forEach(n -> set.add(SupportWindow.Scope.parse(n.asText())));
            JsonNode minutes = body.get("minutes");
            if (minutes == null || !minutes.canConvertToLong()) {
              throw new InvalidArgumentException("minutes is required: how long the window lasts");
            }
            SupportWindow w = s.consent().open(who, set, Duration.ofMinutes(minutes.asLong()));
            return Reply.created(window(w, true)).auditing(null, null, details(w));
          });
    }
    if (p.size() == 2 && method.equals("DELETE")) {
      return new Call(
          "RevokeSupportWindow",
          null,
          null,
          true,
          (who, in) -> {
            SupportWindow w = s.consent().revoke(who, p.get(1));
            return Reply.ok(window(w, false)).auditing(null, null, details(w));
          });
    }
    return null;
  }
}
