package fr.coffre.admin;

import fr.coffre.core.AuditUnavailableException;
import fr.coffre.core.IdentityException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.RequestIds;
import fr.coffre.service.AuditService;
import fr.coffre.service.Lockouts;
import fr.coffre.service.Sessions;
import fr.coffre.web.Csrf;
import fr.coffre.web.OriginCheck;
import fr.coffre.web.SessionCookie;
import fr.coffre.web.WebError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
   * Wrong tokens, counted per client address (never for everyone: one careless or hostile client
   * must not lock the operator out everywhere): 10 within 5 minutes close that address for 15
   * minutes, doubling while it keeps trying.
   */
  private final Lockouts lockouts;

  /** The subject of {@link #lockouts}: the one admin token. */
  private static final String TOKEN_SUBJECT = "admin-token";

  /**
   * @param token the operator's bearer token
   * @param audit where every call is recorded
   */
  public AdminHandler(AdminApi api, String token, AuditService audit, Clock clock) {
    super(InvocationType.BLOCKING);
    this.api = api;
    this.audit = audit;
    this.auditing = api.auditing(audit, clock);
    this.lockouts = new Lockouts(clock, 10, Duration.ofMinutes(5), Duration.ofMinutes(15));
    this.tokenHash = sha256(token);
    this.principal =
        "operator (admin token sha256:" + HexFormat.of().formatHex(tokenHash, 0, 6) + ")";
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String address = Request.getRemoteAddr(request);
    String method = request.getMethod();
    String path = request.getHttpURI().getDecodedPath();
    String requestId = RequestIds.next();
    response.getHeaders().put("x-coffre-request-id", requestId);
    Instant locked = lockouts.lockedUntil(TOKEN_SUBJECT, address);
    if (locked != null) {
      LOG.warn("admin call refused: {} is locked out until {}", address, locked);
      response
          .getHeaders()
          .put(
              HttpHeader.RETRY_AFTER,
              Long.toString(Math.max(1, Duration.between(Instant.now(), locked).toSeconds())));
      return answer(
          response,
          callback,
          AdminReply.error(
              429,
              "TooManyAttempts",
              "too many wrong admin tokens from this address; retry after " + locked));
    }
    if (path.equals(SESSION) && sessions != null) {
      return session(request, response, callback, address, requestId);
    }
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    boolean bearer = auth != null && auth.startsWith("Bearer ") && isToken(auth.substring(7));
    if (!bearer && consoleSession(request) == null) {
      LOG.warn("admin call refused: missing or wrong token (from {})", address);
      if (auth != null) {
        lockouts.failedSignature(TOKEN_SUBJECT, address);
      }
      try {
        auditing.refused(method, path, address, requestId);
      } catch (RuntimeException e) {
        LOG.error("admin: the refused call could not be recorded: {}", e.toString());
      }
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
      return answer(
          response,
          callback,
          AdminReply.error(401, "Unauthorized", "a valid admin token is required"));
    }
    String length = request.getHeaders().get(HttpHeader.CONTENT_LENGTH);
    if (length != null && Long.parseLong(length) > MAX_BODY) {
      return answer(
          response,
          callback,
          AdminReply.error(413, "TooLarge", "admin request bodies are limited to 64 KiB"));
    }
    byte[] body;
    try (var in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      return answer(
          response,
          callback,
          AdminReply.error(413, "TooLarge", "admin request bodies are limited to 64 KiB"));
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
      reply = AdminReply.error(WebError.of(e));
    }
    try {
      return answer(response, callback, reply);
    } catch (RuntimeException e) {
      // Never an exception page: the details go to the log, the caller gets a plain error.
      LOG.error(
          "admin {} {} failed", request.getMethod(), request.getHttpURI().getDecodedPath(), e);
      return answer(response, callback, AdminReply.error(WebError.unexpected()));
    }
  }

  private static final String AUDIT = AdminApi.PREFIX + "/audit";
  private static final String SESSION = AdminApi.PREFIX + "/session";

  /** The operator console's session cookie (docs/console.md), scoped to the admin API. */
  private static final SessionCookie COOKIE = new SessionCookie("coffre_admin", AdminApi.PATH);

  private Sessions sessions;

  /**
   * Lets the operator console sign in with the token and then call the API with a session cookie
   * (HttpOnly, SameSite=Strict) and its CSRF token in {@code X-Coffre-CSRF}.
   */
  public AdminHandler withSessions(Sessions sessions) {
    this.sessions = sessions;
    return this;
  }

  /**
   * The console session a request carries, if it is valid for this request: a change must carry the
   * session's CSRF token, and a browser's Origin must be this listener.
   */
  private Sessions.Session consoleSession(Request request) {
    if (sessions == null) {
      return null;
    }
    Sessions.Session s = sessions.find(COOKIE.read(request)).orElse(null);
    return s != null && Csrf.allows(request, s.csrf()) ? s : null;
  }

  /** {@code /admin/v1/session}: sign the operator console in with the token, see it, sign out. */
  private boolean session(
      Request request, Response response, Callback callback, String address, String requestId)
      throws Exception {
    String method = request.getMethod();
    Sessions.Session current = consoleSession(request);
    switch (method) {
      case "GET" -> {
        return answer(
            response,
            callback,
            current == null
                ? AdminReply.error(401, "NoSession", "not signed in")
                : AdminReply.ok(
                    Map.of(
                        "csrf",
                        current.csrf(),
                        "expiresAt",
                        sessions.expiresAt(current).toString())));
      }
      case "DELETE" -> {
        if (current != null) {
          sessions.close(current.id());
        }
        COOKIE.clear(request, response);
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
        } catch (IOException | RuntimeException e) {
          // answered as a wrong token
        }
        if (token == null || !OriginCheck.allows(request) || !isToken(token)) {
          LOG.warn("operator console sign-in refused (from {})", address);
          lockouts.failedSignature(TOKEN_SUBJECT, address);
          auditing.refused(method, SESSION, address, requestId);
          return answer(
              response,
              callback,
              AdminReply.error(401, "Unauthorized", "a valid admin token is required"));
        }
        AdminApi.Caller caller = new AdminApi.Caller(principal + " via the console", address);
        AdminReply reply = AdminReply.ok(Map.of("signedIn", true));
        auditing.record(
            method,
            SESSION,
            auditing.before(method, SESSION, new byte[0], caller, requestId),
            reply,
            caller,
            requestId);
        Sessions.Session s = sessions.open("operator");
        COOKIE.set(request, response, s.id());
        return answer(
            response,
            callback,
            AdminReply.ok(Map.of("csrf", s.csrf(), "expiresAt", sessions.expiresAt(s).toString())));
      }
      default -> {
        return answer(
            response, callback, AdminReply.error(405, "MethodNotAllowed", method + " session"));
      }
    }
  }

  /**
   * {@code GET /audit}: the chains and their heads; {@code GET /audit/{chain}}: that chain's
   * export, streamed (it may be large), after the call itself has been recorded.
   */
  private boolean auditTrail(
      String path,
      AdminAudit.Before before,
      Response response,
      Callback callback,
      AdminApi.Caller caller,
      String requestId)
      throws Exception {
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
      } catch (IdentityException | InvalidArgumentException e) {
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
    } catch (RuntimeException | IOException e) {
      LOG.error("admin: audit export of {} failed: {}", chain, e.toString());
      if (!response.isCommitted()) {
        // The cause (a path, an I/O error) is the server's own: it is in the log line above.
        return answer(
            response,
            callback,
            AdminReply.error(
                e instanceof AuditUnavailableException unavailable
                    ? WebError.of(unavailable)
                    : new WebError(
                        503, "AuditUnavailable", "the audit trail could not be exported")));
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
    response
        .getHeaders()
        .put(
            HttpHeader.CONTENT_TYPE,
            reply.body() instanceof String s && s.startsWith("-----")
                ? "application/x-pem-file"
                : "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }

  /**
   * Whether {@code given} is the operator's token; hashes compared, so in constant time and length.
   */
  private boolean isToken(String given) {
    return MessageDigest.isEqual(tokenHash, sha256(given.strip()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
