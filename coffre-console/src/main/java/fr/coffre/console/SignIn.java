package fr.coffre.console;

import com.fasterxml.jackson.databind.JsonNode;
import fr.coffre.core.AuditUnavailableException;
import fr.coffre.core.Principal;
import fr.coffre.service.Sessions;
import fr.coffre.service.oidc.OidcSignIn;
import fr.coffre.web.Csrf;
import fr.coffre.web.OriginCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /api/session}: sign in with an access key and its secret (checked in constant time,
 * failures counted with failed S3 signatures, so the same lock-out applies), see the session, sign
 * out. The secret is only compared, never kept.
 */
final class SignIn {
  /** What an access key id can look like (printable ASCII, as the root key's rules allow). */
  private static final Pattern ACCESS_KEY = Pattern.compile("[\\x21-\\x7e]{3,128}");

  private final ConsoleServices s;
  private final ConsoleRecorder recorder;

  SignIn(ConsoleServices s, ConsoleRecorder recorder) {
    this.s = s;
    this.recorder = recorder;
  }

  boolean handle(Request request, Response response, Callback callback, String requestId)
      throws Exception {
    String method = request.getMethod();
    Optional<Sessions.Session> session = s.sessions().find(ConsoleHandler.COOKIE.read(request));
    switch (method) {
      case "GET" -> {
        Optional<Principal> who = session.flatMap(x -> s.principal(x.subject()));
        return Web.json(
            response,
            callback,
            who.isEmpty()
                ? Reply.error(401, "NoSession", "not signed in")
                : Reply.ok(describe(who.get(), session.get())));
      }
      case "DELETE" -> {
        if (session.isPresent() && !Csrf.allows(request, session.get().csrf())) {
          return Web.json(
              response,
              callback,
              Reply.error(403, "CsrfRefused", "the request did not come from the console"));
        }
        session.ifPresent(x -> s.sessions().close(x.id()));
        ConsoleHandler.COOKIE.clear(request, response);
        return Web.json(response, callback, Reply.noContent());
      }
      case "POST" -> {
        return signIn(request, response, callback, requestId);
      }
      default -> {
        return Web.json(
            response, callback, Reply.error(405, "MethodNotAllowed", method + " /api/session"));
      }
    }
  }

  private boolean signIn(Request request, Response response, Callback callback, String requestId)
      throws Exception {
    if (!OriginCheck.allows(request)) {
      return Web.json(
          response,
          callback,
          Reply.error(403, "CsrfRefused", "sign in from the console's own page"));
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
    String accessKey = body == null ? null : StorageApi.text(body, "accessKey");
    String secret = body == null ? null : StorageApi.text(body, "secretKey");
    if (accessKey == null || secret == null || accessKey.isBlank()) {
      return Web.json(
          response,
          callback,
          Reply.error(400, "InvalidArgument", "accessKey and secretKey are required"));
    }
    accessKey = accessKey.strip();
    if (!ACCESS_KEY.matcher(accessKey).matches()) {
      // Not an access key at all: refused before it is counted, logged or recorded.
      return Web.json(
          response,
          callback,
          Reply.error(401, "InvalidCredentials", "the access key or the secret key is wrong"));
    }
    ConsoleRecorder.Context ctx =
        new ConsoleRecorder.Context(
            requestId,
            Request.getRemoteAddr(request),
            request.isSecure(),
            "ConsoleSignIn",
            null,
            null);
    try {
      if (s.lockouts().lockedUntil(accessKey) != null) {
        recorder.refusedSignIn(ctx, accessKey, 403, "LockedOut");
        return Web.json(
            response,
            callback,
            Reply.error(
                403,
                "LockedOut",
                "too many failed sign-ins with this access key; try again later"));
      }
      Optional<String> expected = s.identities().secretKey(accessKey);
      boolean ok =
          expected.isPresent()
              && MessageDigest.isEqual(
                  expected.get().getBytes(StandardCharsets.UTF_8),
                  secret.getBytes(StandardCharsets.UTF_8));
      Optional<Principal> who = ok ? s.identities().principal(accessKey) : Optional.empty();
      if (who.isEmpty()) {
        s.lockouts().failed(accessKey, Request.getRemoteAddr(request));
        recorder.refusedSignIn(ctx, accessKey, 401, "InvalidCredentials");
        return Web.json(
            response,
            callback,
            Reply.error(401, "InvalidCredentials", "the access key or the secret key is wrong"));
      }
      recorder.finished(ctx, who.get(), 200, null, 0, 0);
      Sessions.Session session = s.sessions().open(accessKey);
      ConsoleHandler.COOKIE.set(request, response, session.id());
      return Web.json(response, callback, Reply.ok(describe(who.get(), session)));
    } catch (AuditUnavailableException e) {
      return Web.json(response, callback, ConsoleHandler.failure(e, requestId));
    }
  }

  private Map<String, Object> describe(Principal who, Sessions.Session session) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tenant", who.tenant());
    m.put("user", who.isRoot() ? "root" : who.user());
    m.put("accessKey", who.accessKey());
    m.put("federated", session.subject().startsWith(OidcSignIn.SUBJECT_PREFIX));
    m.put("csrf", session.csrf());
    m.put("expiresAt", s.sessions().expiresAt(session).toString());
    return m;
  }
}
