package fr.coffre.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import fr.coffre.core.AuditUnavailableException;
import fr.coffre.service.Sessions;
import fr.coffre.service.oidc.OidcException;
import fr.coffre.service.oidc.OidcSignIn;
import fr.coffre.web.SessionCookie;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in through the organisation's OpenID Connect provider ({@link OidcSignIn} does the
 * protocol): {@code GET /api/oidc} tells the page which provider to offer, {@code GET /oidc/login}
 * sends the browser to it, {@code GET /oidc/callback} takes it back and opens a console session.
 *
 * <p>The sign-in's {@code state} is also set in a short-lived {@code SameSite=Lax} cookie on {@code
 * /oidc/}: the callback is accepted only from the browser that started the sign-in, so nobody can
 * sign someone else in to their own account (login CSRF). A refused sign-in answers a page that
 * says why, never a stack trace, and is recorded in the audit trail.
 */
final class OidcPages {
  private static final Logger LOG = LoggerFactory.getLogger(OidcPages.class);
  private static final String REFUSED = "Connexion refusée — Sign-in refused";
  private static final String UNAVAILABLE = "Connexion impossible — Sign-in unavailable";
  static final SessionCookie STATE_COOKIE = new SessionCookie("coffre_oidc", "/oidc/", true);

  private final ConsoleServices s;
  private final ConsoleRecorder recorder;

  OidcPages(ConsoleServices s, ConsoleRecorder recorder) {
    this.s = s;
    this.recorder = recorder;
  }

  /** {@code GET /api/oidc}: the provider the sign-in page offers, or 404 when none. */
  boolean describe(Request request, Response response, Callback callback) {
    OidcSignIn oidc = s.oidc();
    if (oidc == null) {
      return Web.json(
          response, callback, Reply.error(404, "NotFound", "no identity provider is configured"));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", oidc.settings().name());
    m.put("login", "/oidc/login");
    return Web.json(response, callback, Reply.ok(m));
  }

  boolean handle(
      String path, Request request, Response response, Callback callback, String requestId) {
    OidcSignIn oidc = s.oidc();
    if (oidc == null || !request.getMethod().equals("GET")) {
      return page(
          response,
          callback,
          404,
          "Introuvable — Not found",
          "No identity provider is configured here.");
    }
    return switch (path) {
      case "/oidc/login" -> login(oidc, request, response, callback, requestId);
      case "/oidc/callback" -> callback(oidc, request, response, callback, requestId);
      default ->
          page(
              response,
              callback,
              404,
              "Introuvable — Not found",
              "No sign-in page at this address.");
    };
  }

  private boolean login(
      OidcSignIn oidc, Request request, Response response, Callback callback, String requestId) {
    OidcSignIn.Start start;
    try {
      start = oidc.start();
    } catch (OidcException e) {
      LOG.warn("OIDC sign-in cannot start (request {}): {}", requestId, e.getMessage());
      return page(
          response,
          callback,
          502,
          UNAVAILABLE,
          "The identity provider does not answer as expected: " + e.getMessage());
    }
    STATE_COOKIE.set(request, response, start.state());
    response.setStatus(302);
    response.getHeaders().put(HttpHeader.LOCATION, start.authorizationUrl().toString());
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
    response.write(true, null, callback);
    return true;
  }

  private boolean callback(
      OidcSignIn oidc, Request request, Response response, Callback callback, String requestId) {
    Map<String, String> q = new HashMap<>();
    try {
      Request.extractQueryParameters(request, StandardCharsets.UTF_8)
          .forEach(f -> q.putIfAbsent(f.getName(), f.getValue()));
    } catch (IllegalArgumentException e) {
      return page(response, callback, 400, REFUSED, "The return address is malformed.");
    }
    String state = q.get("state");
    String cookie = STATE_COOKIE.read(request);
    STATE_COOKIE.clear(request, response);
    ConsoleRecorder.Context ctx =
        new ConsoleRecorder.Context(
            requestId,
            Request.getRemoteAddr(request),
            request.isSecure(),
            "ConsoleOidcSignIn",
            null,
            null);
    try {
      String error = q.get("error");
      if (error != null) {
        // The provider's own refusal (the person cancelled, or the client is misconfigured).
        String code = error.matches("[a-z_]{1,64}") ? error : "error";
        return refused(
            ctx,
            response,
            callback,
            null,
            403,
            "ProviderRefused",
            details(oidc, null, code),
            "The identity provider refused the sign-in (" + code + ").");
      }
      if (state == null
          || cookie == null
          || !MessageDigest.isEqual(
              state.getBytes(StandardCharsets.UTF_8), cookie.getBytes(StandardCharsets.UTF_8))) {
        return refused(
            ctx,
            response,
            callback,
            null,
            403,
            "OidcStateRefused",
            details(oidc, null, "state"),
            "This sign-in was not started in this browser, or was used already;"
                + " start again from the sign-in page.");
      }
      OidcSignIn.SignedIn signedIn;
      try {
        signedIn = oidc.complete(state, q.get("code"));
      } catch (OidcException e) {
        String code =
            e.reason() == OidcException.Reason.STATE
                ? "OidcStateRefused"
                : e.reason() == OidcException.Reason.MAPPING ? "OidcNoTenant" : "OidcRefused";
        return refused(
            ctx,
            response,
            callback,
            null,
            403,
            code,
            details(oidc, null, e.reason().name()),
            e.getMessage());
      }
      Sessions.Session session;
      try {
        session = s.sessions().open(signedIn.sessionSubject(), signedIn.principal().tenant());
      } catch (Sessions.SessionLimitException e) {
        return page(response, callback, 503, UNAVAILABLE, e.getMessage());
      }
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("issuer", oidc.settings().issuer());
      d.put("subject", signedIn.claims().subject());
      d.put("policies", signedIn.policies());
      d.put("created", signedIn.created());
      recorder.oidcSignIn(ctx, signedIn.principal(), json(d));
      ConsoleHandler.COOKIE.set(request, response, session.id());
      // A page of this origin moves on to the console: the session cookie is SameSite=Strict, and
      // a navigation begun by the provider's redirect would not carry it.
      return Web.html(
          response,
          callback,
          200,
          "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
              + "<meta http-equiv=\"refresh\" content=\"0;url=/\"><title>Connexion</title></head>"
              + "<body><p>Connecté — Signed in. <a href=\"/\">Console</a></p></body></html>");
    } catch (AuditUnavailableException e) {
      return Web.json(response, callback, ConsoleHandler.failure(e, requestId));
    }
  }

  private boolean refused(
      ConsoleRecorder.Context ctx,
      Response response,
      Callback callback,
      @Nullable String tenant,
      int status,
      String code,
      String detailsJson,
      String message) {
    recorder.refusedOidcSignIn(ctx, tenant, status, code, detailsJson);
    return page(response, callback, status, REFUSED, message);
  }

  private static String details(OidcSignIn oidc, @Nullable String subject, String reason) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("issuer", oidc.settings().issuer());
    if (subject != null) {
      d.put("subject", subject);
    }
    d.put("reason", reason);
    return json(d);
  }

  private static String json(Map<String, Object> m) {
    try {
      return Web.JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean page(
      Response response, Callback callback, int status, String title, String message) {
    return Web.html(
        response,
        callback,
        status,
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>"
            + Web.escape(title)
            + "</title></head><body><main><h1>"
            + Web.escape(title)
            + "</h1><p class=\"oidc-message\">"
            + Web.escape(message)
            + "</p><p><a href=\"/\">Retour à la console — Back to the console</a></p></main></body></html>");
  }
}
