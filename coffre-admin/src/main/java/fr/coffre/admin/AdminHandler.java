package fr.coffre.admin;

import fr.coffre.core.AuditUnavailableException;
import fr.coffre.service.AuditService;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener's HTTP edge: checks the operator's bearer token (constant time), reads the
 * JSON body (at most 64 KiB) and hands the call to {@link AdminApi}.
 */
public final class AdminHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
  private static final int MAX_BODY = 64 * 1024;

  private final AdminApi api;
  private final byte[] tokenHash;
  private final String principal;
  private final AuditService audit;
  private final AdminAudit auditing;

  /**
   * @param token the operator's bearer token
   * @param audit where every call is recorded
   */
  public AdminHandler(AdminApi api, String token, AuditService audit, Clock clock) {
    super(InvocationType.BLOCKING);
    this.api = api;
    this.audit = audit;
    this.auditing = api.auditing(audit, clock);
    this.tokenHash = sha256(token);
    this.principal = "operator (admin token sha256:" + HexFormat.of().formatHex(tokenHash, 0, 6) + ")";
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String address = Request.getRemoteAddr(request);
    String method = request.getMethod();
    String path = request.getHttpURI().getDecodedPath();
    String requestId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE).toUpperCase(Locale.ROOT);
    response.getHeaders().put("x-coffre-request-id", requestId);
    if (path.equals(SESSION) && sessions != null) {
      return session(request, response, callback, address, requestId);
    }
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    boolean bearer = auth != null && auth.startsWith("Bearer ")
        && MessageDigest.isEqual(tokenHash, sha256(auth.substring(7).strip()));
    if (!bearer && consoleSession(request) == null) {
      LOG.warn("admin call refused: missing or wrong token (from {})", address);
      try {
        auditing.refused(method, path, address, requestId);
      } catch (RuntimeException e) {
        LOG.error("admin: the refused call could not be recorded: {}", e.toString());
      }
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
      return answer(response, callback, AdminReply.error(401, "Unauthorized", "a valid admin token is required"));
    }
    String length = request.getHeaders().get(HttpHeader.CONTENT_LENGTH);
    if (length != null && Long.parseLong(length) > MAX_BODY) {
      return answer(response, callback, AdminReply.error(413, "TooLarge", "admin request bodies are limited to 64 KiB"));
    }
    byte[] body;
    try (var in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      return answer(response, callback, AdminReply.error(413, "TooLarge", "admin request bodies are limited to 64 KiB"));
    }
    AdminApi.Caller caller = new AdminApi.Caller(principal, address);
    AdminReply reply;
    try {
      AdminAudit.Before before = auditing.before(method, path, body, caller, requestId);
      if (method.equals("GET") && (path.equals(AUDIT) || path.startsWith(AUDIT + "/"))) {
        return auditTrail(path, before, response, callback, caller, requestId);
      }
      reply = api.handle(method, path, body, caller);
      auditing.record(method, path, before, reply, caller, requestId);
    } catch (AuditUnavailableException e) {
      reply = AdminReply.error(503, "AuditUnavailable", e.getMessage());
    }
    try {
      return answer(response, callback, reply);
    } catch (RuntimeException e) {
      // Never an exception page: the details go to the log, the caller gets a plain error.
      LOG.error("admin {} {} failed", request.getMethod(), request.getHttpURI().getDecodedPath(), e);
      return answer(response, callback, AdminReply.error(500, "InternalError", "internal error; see the server log"));
    }
  }

  private static final String AUDIT = AdminApi.PREFIX + "/audit";
  private static final String SESSION = AdminApi.PREFIX + "/session";
  /** The operator console's session cookie (docs/console.md), scoped to the admin API. */
  static final String COOKIE = "coffre_admin";
  private fr.coffre.service.Sessions sessions;

  /**
   * Lets the operator console sign in with the token and then call the API with a session
   * cookie (HttpOnly, SameSite=Strict) and its CSRF token in {@code X-Coffre-CSRF}.
   */
  public AdminHandler withSessions(fr.coffre.service.Sessions sessions) {
    this.sessions = sessions;
    return this;
  }

  /**
   * The console session a request carries, if it is valid for this request: a change must carry
   * the session's CSRF token, and a browser's Origin must be this listener.
   */
  private fr.coffre.service.Sessions.Session consoleSession(Request request) {
    if (sessions == null) {
      return null;
    }
    String id = null;
    for (org.eclipse.jetty.http.HttpCookie c : Request.getCookies(request)) {
      if (c.getName().equals(COOKIE)) {
        id = c.getValue();
      }
    }
    fr.coffre.service.Sessions.Session s = sessions.find(id).orElse(null);
    if (s == null) {
      return null;
    }
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (origin != null && !origin.equals(request.getHttpURI().getScheme() + "://" + host)) {
      return null;
    }
    String method = request.getMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      return s;
    }
    String csrf = request.getHeaders().get("X-Coffre-CSRF");
    return csrf != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
        s.csrf().getBytes(StandardCharsets.UTF_8)) ? s : null;
  }

  /** {@code /admin/v1/session}: sign the operator console in with the token, see it, sign out. */
  private boolean session(Request request, Response response, Callback callback, String address, String requestId)
      throws Exception {
    String method = request.getMethod();
    boolean secure = request.isSecure();
    fr.coffre.service.Sessions.Session current = consoleSession(request);
    switch (method) {
      case "GET" -> {
        return answer(response, callback, current == null ? AdminReply.error(401, "NoSession", "not signed in")
            : AdminReply.ok(Map.of("csrf", current.csrf(), "expiresAt", sessions.expiresAt(current).toString())));
      }
      case "DELETE" -> {
        if (current != null) {
          sessions.close(current.id());
        }
        response.getHeaders().add(HttpHeader.SET_COOKIE, cookie(null, secure));
        return answer(response, callback, new AdminReply(204, null));
      }
      case "POST" -> {
        byte[] body;
        try (var in = Content.Source.asInputStream(request)) {
          body = in.readNBytes(4096);
        }
        String token = null;
        try {
          token = AdminApi.text(AdminApi.JSON.readTree(body), "token");
        } catch (java.io.IOException | RuntimeException e) {
          // answered as a wrong token
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        boolean sameOrigin = origin == null
            || origin.equals(request.getHttpURI().getScheme() + "://" + request.getHeaders().get(HttpHeader.HOST));
        if (token == null || !sameOrigin || !MessageDigest.isEqual(tokenHash, sha256(token.strip()))) {
          LOG.warn("operator console sign-in refused (from {})", address);
          auditing.refused(method, SESSION, address, requestId);
          return answer(response, callback, AdminReply.error(401, "Unauthorized", "a valid admin token is required"));
        }
        AdminApi.Caller caller = new AdminApi.Caller(principal + " via the console", address);
        AdminReply reply = AdminReply.ok(Map.of("signedIn", true));
        auditing.record(method, SESSION, auditing.before(method, SESSION, new byte[0], caller, requestId), reply, caller,
            requestId);
        fr.coffre.service.Sessions.Session s = sessions.open("operator");
        response.getHeaders().add(HttpHeader.SET_COOKIE, cookie(s.id(), secure));
        return answer(response, callback, AdminReply.ok(Map.of("csrf", s.csrf(),
            "expiresAt", sessions.expiresAt(s).toString())));
      }
      default -> {
        return answer(response, callback, AdminReply.error(405, "MethodNotAllowed", method + " session"));
      }
    }
  }

  private static String cookie(String value, boolean secure) {
    return COOKIE + "=" + (value == null ? "" : value) + "; Path=/admin; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "") + (value == null ? "; Max-Age=0" : "");
  }

  /**
   * {@code GET /audit}: the chains and their heads; {@code GET /audit/{chain}}: that chain's
   * export, streamed (it may be large), after the call itself has been recorded.
   */
  private boolean auditTrail(String path, AdminAudit.Before before, Response response, Callback callback,
      AdminApi.Caller caller, String requestId) throws Exception {
    if (path.equals(AUDIT)) {
      List<Map<String, Object>> chains = new ArrayList<>();
      for (AuditService.ChainHead head : audit.heads()) {
        chains.add(Map.of("chain", head.chain(), "records", head.records(), "hash", head.hash()));
      }
      AdminReply reply = AdminReply.ok(Map.of("chains", chains));
      auditing.record("GET", path, before, reply, caller, requestId);
      return answer(response, callback, reply);
    }
    String chain = path.substring(AUDIT.length() + 1);
    if (!chain.equals(AuditService.SYSTEM_CHAIN)) {
      try {
        api.identities().tenant(chain);
      } catch (fr.coffre.core.IdentityException | fr.coffre.core.InvalidArgumentException e) {
        AdminReply reply = AdminReply.error(404, "NoSuchTenant", "no tenant " + chain);
        auditing.record("GET", path, before, reply, caller, requestId);
        return answer(response, callback, reply);
      }
    }
    auditing.record("GET", path, before, new AdminReply(200, null), caller, requestId);
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    OutputStream out = Content.Sink.asOutputStream(response);
    try {
      audit.export(chain, out);
      out.close();
    } catch (RuntimeException | java.io.IOException e) {
      LOG.error("admin: audit export of {} failed: {}", chain, e.toString());
      if (!response.isCommitted()) {
        return answer(response, callback, AdminReply.error(503, "AuditUnavailable", e.getMessage()));
      }
      callback.failed(e);
      return true;
    }
    callback.succeeded();
    return true;
  }

  private static boolean answer(Response response, Callback callback, AdminReply reply) {
    byte[] bytes = reply.body() == null ? new byte[0] : AdminApi.bytes(reply.body());
    response.setStatus(reply.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE,
        reply.body() instanceof String s && s.startsWith("-----") ? "application/x-pem-file" : "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
