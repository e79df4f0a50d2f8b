package fr.coffre.admin;

import fr.coffre.core.AuditUnavailableException;
import fr.coffre.core.GovernanceException;
import fr.coffre.core.OperatorRecord;
import fr.coffre.core.ProposalRecord;
import fr.coffre.core.RequestIds;
import fr.coffre.service.AuditService;
import fr.coffre.service.Lockouts;
import fr.coffre.service.Operators;
import fr.coffre.service.Sessions;
import fr.coffre.web.Csrf;
import fr.coffre.web.OriginCheck;
import fr.coffre.web.SessionCookie;
import fr.coffre.web.WebError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
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
  private final AdminAudit auditing;
  private final AdminAuditRoute auditRoute;

  /**
   * Wrong tokens, counted per client address (never for everyone: one careless or hostile client
   * must not lock the operator out everywhere): 10 within 5 minutes close that address for 15
   * minutes, doubling while it keeps trying.
   */
  private final Lockouts lockouts;

  /** The subject of {@link #lockouts}: the one admin token. */
  private static final String TOKEN_SUBJECT = "admin-token";

  /**
   * Failed operator sign-ins, counted per address apart from wrong tokens: names sprayed from one
   * address close sign-ins there, not the calls of operators already signed in. Each operator also
   * has its own lock-out, kept in the database ({@link Operators}).
   */
  private static final String LOGIN_SUBJECT = "operator-sign-in";

  /**
   * @param token the operator's bearer token
   * @param audit where every call is recorded
   * @param lockouts wrong tokens and failed operator sign-ins, per client address (shared by the
   *     nodes of a cluster)
   */
  public AdminHandler(
      AdminApi api, String token, AuditService audit, Lockouts lockouts, Clock clock) {
    super(InvocationType.BLOCKING);
    this.api = api;
    this.auditing = api.auditing(audit, clock);
    this.auditRoute = new AdminAuditRoute(api, audit, auditing);
    this.lockouts = lockouts;
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
    OperatorGate gate = api.gate();
    if (path.equals(LOGIN) && gate != null) {
      Instant closed = lockouts.lockedUntil(LOGIN_SUBJECT, address);
      if (closed != null) {
        LOG.warn("operator sign-in refused: {} is locked out until {}", address, closed);
        return AdminAuditRoute.answer(
            response,
            callback,
            AdminReply.error(
                429,
                "TooManyAttempts",
                "too many failed operator sign-ins from this address; retry after " + closed));
      }
      return login(request, response, callback, gate, address, requestId);
    }
    Instant locked = lockouts.lockedUntil(TOKEN_SUBJECT, address);
    if (locked != null) {
      LOG.warn("admin call refused: {} is locked out until {}", address, locked);
      response
          .getHeaders()
          .put(
              HttpHeader.RETRY_AFTER,
              Long.toString(Math.max(1, Duration.between(Instant.now(), locked).toSeconds())));
      return AdminAuditRoute.answer(
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
    String rest =
        path.startsWith(AdminApi.PREFIX + "/") ? path.substring(AdminApi.PREFIX.length() + 1) : "";
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    String bearer = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).strip() : null;
    AdminApi.Caller caller = null;
    boolean token = bearer != null && isToken(bearer);
    if (!token && bearer != null && gate != null) {
      OperatorRecord op = gate.session(bearer).orElse(null);
      if (op != null) {
        caller = new AdminApi.Caller("operator " + op.name(), address, op.name(), op.roles(), null);
      }
    }
    Sessions.Session console = caller == null && !token ? consoleSession(request) : null;
    boolean namedConsole = console != null && console.subject().startsWith(NAMED);
    if (namedConsole && gate != null) {
      String name = console.subject().substring(NAMED.length());
      OperatorRecord op;
      try {
        op = gate.operators().get(name);
      } catch (GovernanceException e) {
        op = null; // removed since it signed in
      }
      if (op != null) {
        caller =
            new AdminApi.Caller(
                "operator " + name + " via the console", address, name, op.roles(), null);
      }
    }
    if (caller == null && (token || (console != null && !namedConsole))) {
      if (gate != null && gate.tokenRetired() && !OperatorGate.tokenStillServes(method, rest)) {
        LOG.warn("admin call with the retired admin token refused (from {})", address);
        AdminReply refused =
            AdminReply.error(
                403,
                "AdminTokenRetired",
                "named operators exist: the admin token only unseals now; sign in as an operator"
                    + " (coffre admin login)");
        try {
          AdminApi.Caller tokenCaller = new AdminApi.Caller(principal, address);
          auditing.record(
              method,
              path,
              new AdminAudit.Before(null, null, null),
              refused,
              tokenCaller,
              requestId);
        } catch (RuntimeException e) {
          LOG.error("admin: the refused call could not be recorded: {}", e.toString());
        }
        return AdminAuditRoute.answer(response, callback, refused);
      }
      caller = new AdminApi.Caller(principal, address);
    }
    if (caller == null) {
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
      return AdminAuditRoute.answer(
          response,
          callback,
          AdminReply.error(401, "Unauthorized", "a valid admin token is required"));
    }
    String length = request.getHeaders().get(HttpHeader.CONTENT_LENGTH);
    if (length != null && Long.parseLong(length) > MAX_BODY) {
      return AdminAuditRoute.answer(
          response,
          callback,
          AdminReply.error(413, "TooLarge", "admin request bodies are limited to 64 KiB"));
    }
    byte[] body;
    try (var in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      return AdminAuditRoute.answer(
          response,
          callback,
          AdminReply.error(413, "TooLarge", "admin request bodies are limited to 64 KiB"));
    }
    if (rest.equals("logout") && caller.operator() != null && gate != null) {
      gate.sessions().close(bearer);
      return AdminAuditRoute.answer(response, callback, new AdminReply(204, null));
    }
    AdminReply reply;
    try {
      AdminAudit.Before before = auditing.before(method, path, body, caller, requestId);
      if (method.equals("GET") && (path.equals(AUDIT) || path.startsWith(AUDIT + "/"))) {
        return auditRoute.serve(path, before, response, callback, caller, requestId);
      }
      String[] parts = rest.split("/");
      reply =
          gate != null
                  && method.equals("POST")
                  && parts.length == 3
                  && parts[0].equals("proposals")
                  && parts[2].equals("approve")
              ? approve(gate, parts[1], caller, requestId)
              : api.handle(method, path, body, caller);
      auditing.record(method, path, before, reply, caller, requestId);
    } catch (AuditUnavailableException e) {
      reply = AdminReply.error(WebError.of(e));
    }
    try {
      return AdminAuditRoute.answer(response, callback, reply);
    } catch (RuntimeException e) {
      // Never an exception page: the details go to the log, the caller gets a plain error.
      LOG.error(
          "admin {} {} failed", request.getMethod(), request.getHttpURI().getDecodedPath(), e);
      return AdminAuditRoute.answer(response, callback, AdminReply.error(WebError.unexpected()));
    }
  }

  static final String AUDIT = AdminApi.PREFIX + "/audit";
  private static final String LOGIN = AdminApi.PREFIX + "/login";

  /**
   * {@code POST proposals/{id}/approve}: a second operator approves a four-eyes call, which then
   * runs as its proposer's (whose roles allowed it), recorded under its own path (so in the chain
   * of the tenant it touches) with both names.
   */
  private AdminReply approve(
      OperatorGate gate, String id, AdminApi.Caller caller, String requestId) {
    if (caller.operator() == null) {
      return AdminReply.error(
          403, "OperatorRequired", "a proposal is approved by a named operator, not the token");
    }
    ProposalRecord p;
    AdminApi.Caller runAs;
    try {
      OperatorGate.authorize(caller.roles(), "POST", new String[] {"proposals", id, "approve"});
      p = gate.proposals().approve(id, caller.operator());
      OperatorRecord proposer = gate.operators().get(p.proposedBy());
      runAs =
          new AdminApi.Caller(
              "operator " + p.proposedBy() + " approved by operator " + caller.operator(),
              caller.address(),
              p.proposedBy(),
              proposer.roles(),
              p.id());
    } catch (GovernanceException e) {
      return AdminReply.error(WebError.of(e));
    }
    byte[] body = p.body().getBytes(StandardCharsets.UTF_8);
    AdminAudit.Before before = auditing.before(p.method(), p.path(), body, runAs, requestId);
    AdminReply ran = api.handle(p.method(), p.path(), body, runAs);
    auditing.record(p.method(), p.path(), before, ran, runAs, requestId);
    gate.proposals().ran(p.id(), ran.status());
    LOG.info(
        "admin: proposal {} ({} {}) of {} approved by {}: {}",
        p.id(),
        p.method(),
        p.path(),
        p.proposedBy(),
        caller.operator(),
        ran.status());
    Map<String, Object> out =
        new java.util.LinkedHashMap<>(GovernanceApi.proposal(gate.proposals().get(p.id())));
    out.put("result", ran.body());
    return AdminReply.ok(out);
  }

  /**
   * {@code POST /admin/v1/login {"name", "password", "code"}}: a named operator signs in with its
   * password and TOTP code and receives a session token for {@code Authorization: Bearer}, which
   * ends after the sessions' idle time.
   */
  private boolean login(
      Request request,
      Response response,
      Callback callback,
      OperatorGate gate,
      String address,
      String requestId)
      throws Exception {
    if (!request.getMethod().equals("POST")) {
      return AdminAuditRoute.answer(
          response, callback, AdminReply.error(405, "MethodNotAllowed", "login is POST"));
    }
    byte[] raw;
    try (var in = Content.Source.asInputStream(request)) {
      raw = in.readNBytes(4096);
    }
    String name = null;
    String password = null;
    String code = null;
    try {
      var json = AdminApi.JSON.readTree(raw);
      name = AdminApi.text(json, "name");
      password = AdminApi.text(json, "password");
      code = AdminApi.text(json, "code");
    } catch (IOException | RuntimeException e) {
      // answered as wrong credentials
    }
    if (name == null || password == null || code == null) {
      return AdminAuditRoute.answer(
          response,
          callback,
          AdminReply.error(400, "InvalidArgument", "name, password and code are required"));
    }
    Operators.SignIn result = gate.operators().signIn(name, password, code);
    AdminApi.Caller caller =
        new AdminApi.Caller("operator " + name + " (signing in)", address, null, Set.of(), null);
    AdminReply reply;
    if (result.operator() == null) {
      lockouts.failedSignature(LOGIN_SUBJECT, address);
      LOG.warn("operator sign-in of {} refused: {} (from {})", name, result.failure(), address);
      reply =
          result.failure() == Operators.SignInFailure.LOCKED_OUT
              ? AdminReply.error(
                  403,
                  "OperatorLockedOut",
                  "too many failed sign-ins: this operator is locked out for "
                      + Operators.LOCKOUT.toMinutes()
                      + " minutes (a security officer sees it in GET /admin/v1/operators)")
              : AdminReply.error(
                  401, "InvalidCredentials", "the name, the password or the code is wrong");
    } else {
      Sessions.Session s = gate.sessions().open(result.operator().name());
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      out.put("operator", result.operator().name());
      out.put("roles", result.operator().roles().stream().sorted().map(r -> r.wire()).toList());
      out.put("token", s.id());
      out.put("expiresAt", gate.sessions().expiresAt(s).toString());
      reply = AdminReply.ok(out);
      caller =
          new AdminApi.Caller("operator " + name, address, name, result.operator().roles(), null);
    }
    auditing.record(
        "POST", LOGIN, new AdminAudit.Before(null, null, null), reply, caller, requestId);
    return AdminAuditRoute.answer(response, callback, reply);
  }

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
        return AdminAuditRoute.answer(
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
        return AdminAuditRoute.answer(response, callback, new AdminReply(204, null));
      }
      case "POST" -> {
        byte[] body;
        try (var in = Content.Source.asInputStream(request)) {
          body = in.readNBytes(4096);
        }
        String token = null;
        String name = null;
        String password = null;
        String code = null;
        try {
          var json = AdminApi.JSON.readTree(body);
          token = AdminApi.text(json, "token");
          name = AdminApi.text(json, "name");
          password = AdminApi.text(json, "password");
          code = AdminApi.text(json, "code");
        } catch (IOException | RuntimeException e) {
          // answered as a wrong token
        }
        OperatorGate gate = api.gate();
        if (token == null && name != null && gate != null && OriginCheck.allows(request)) {
          return namedConsoleSignIn(
              request, response, callback, gate, name, password, code, address, requestId);
        }
        if (token == null || !OriginCheck.allows(request) || !isToken(token)) {
          LOG.warn("operator console sign-in refused (from {})", address);
          lockouts.failedSignature(TOKEN_SUBJECT, address);
          auditing.refused(method, SESSION, address, requestId);
          return AdminAuditRoute.answer(
              response,
              callback,
              AdminReply.error(401, "Unauthorized", "a valid admin token is required"));
        }
        if (gate != null && gate.tokenRetired()) {
          return AdminAuditRoute.answer(
              response,
              callback,
              AdminReply.error(
                  403,
                  "AdminTokenRetired",
                  "named operators exist: sign in with your name, password and code"));
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
        return AdminAuditRoute.answer(
            response,
            callback,
            AdminReply.ok(Map.of("csrf", s.csrf(), "expiresAt", sessions.expiresAt(s).toString())));
      }
      default -> {
        return AdminAuditRoute.answer(
            response, callback, AdminReply.error(405, "MethodNotAllowed", method + " session"));
      }
    }
  }

  /** Console sessions of named operators have this subject prefix (the token's is "operator"). */
  private static final String NAMED = "named-operator:";

  /** The operator console's sign-in by a named operator: password and TOTP code, as login. */
  private boolean namedConsoleSignIn(
      Request request,
      Response response,
      Callback callback,
      OperatorGate gate,
      String name,
      String password,
      String code,
      String address,
      String requestId) {
    if (lockouts.lockedUntil(LOGIN_SUBJECT, address) != null) {
      return AdminAuditRoute.answer(
          response,
          callback,
          AdminReply.error(429, "TooManyAttempts", "too many failed sign-ins from this address"));
    }
    Operators.SignIn result =
        password == null || code == null
            ? new Operators.SignIn(null, Operators.SignInFailure.WRONG_CREDENTIALS)
            : gate.operators().signIn(name, password, code);
    if (result.operator() == null) {
      lockouts.failedSignature(LOGIN_SUBJECT, address);
      auditing.refused("POST", SESSION, address, requestId);
      return AdminAuditRoute.answer(
          response,
          callback,
          result.failure() == Operators.SignInFailure.LOCKED_OUT
              ? AdminReply.error(403, "OperatorLockedOut", "this operator is locked out")
              : AdminReply.error(
                  401, "InvalidCredentials", "the name, the password or the code is wrong"));
    }
    AdminApi.Caller caller =
        new AdminApi.Caller(
            "operator " + name + " via the console",
            address,
            name,
            result.operator().roles(),
            null);
    Sessions.Session s = sessions.open(NAMED + name);
    AdminReply reply =
        AdminReply.ok(Map.of("csrf", s.csrf(), "expiresAt", sessions.expiresAt(s).toString()));
    auditing.record(
        "POST", SESSION, new AdminAudit.Before(null, null, null), reply, caller, requestId);
    COOKIE.set(request, response, s.id());
    return AdminAuditRoute.answer(response, callback, reply);
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
