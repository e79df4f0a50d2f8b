package fr.coffre.console;

import com.fasterxml.jackson.databind.JsonNode;
import fr.coffre.core.AuditUnavailableException;
import fr.coffre.core.CoffreException;
import fr.coffre.core.Principal;
import fr.coffre.core.RequestIds;
import fr.coffre.service.Sessions;
import fr.coffre.web.Csrf;
import fr.coffre.web.JsonProblem;
import fr.coffre.web.SessionCookie;
import fr.coffre.web.WebError;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant console's listener: its pages, its JSON API under {@code /api} (signed-in sessions,
 * CSRF-checked), and share links under {@code /s/}. Every API call is recorded in the audit trail,
 * a change also before it starts, as S3 requests are.
 */
public final class ConsoleHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);
  static final SessionCookie COOKIE = new SessionCookie("coffre_console", "/");
  static final int MAX_JSON = 64 * 1024;

  private final ConsoleServices s;
  private final StorageApi storage;
  private final TenantViews views;
  private final IamApi iam;
  private final SignIn signIn;
  private final SupportConsent consent;
  private final ShareLinks shareLinks;
  private final OidcPages oidc;
  private final ConsoleRecorder recorder;
  private final StaticAssets assets = new StaticAssets("index.html");

  public ConsoleHandler(ConsoleServices services) {
    super(InvocationType.BLOCKING);
    this.s = services;
    this.storage = new StorageApi(services);
    this.views = new TenantViews(services);
    this.iam = new IamApi(services);
    this.recorder = new ConsoleRecorder(services.audit(), services.clock());
    this.signIn = new SignIn(services, recorder);
    this.consent = new SupportConsent(services, recorder);
    this.shareLinks = new ShareLinks(services, recorder, assets);
    this.oidc = new OidcPages(services, recorder);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getPath();
    String requestId = RequestIds.next();
    response.getHeaders().put("x-coffre-request-id", requestId);
    Web.secure(response);
    try {
      if (path.startsWith("/s/")) {
        return shareLinks.page(path.substring(3), request, response, callback, requestId);
      }
      if (path.startsWith("/api/share/")) {
        return shareLinks.describe(path.substring(11), request, response, callback, requestId);
      }
      if (path.equals("/api/enrol") && s.consent() != null) {
        return consent.enrol(request, response, callback, requestId);
      }
      if (path.startsWith("/oidc/")) {
        return oidc.handle(path, request, response, callback, requestId);
      }
      if (path.equals("/api/oidc")) {
        return oidc.describe(request, response, callback);
      }
      if (path.equals("/api/session")) {
        return signIn.handle(request, response, callback, requestId);
      }
      if (path.startsWith("/api/")) {
        return api(path.substring(5), request, response, callback, requestId);
      }
      return assets.handle(request, response, callback);
    } catch (RuntimeException e) {
      // Never a stack trace to the browser; never a share token in the log.
      LOG.error(
          "console {} {} failed (request {})", request.getMethod(), loggable(path), requestId, e);
      if (response.isCommitted()) {
        callback.failed(e);
        return true;
      }
      return Web.json(response, callback, Reply.error(WebError.unexpected()));
    }
  }

  private boolean api(
      String rest, Request request, Response response, Callback callback, String requestId)
      throws Exception {
    Optional<Sessions.Session> session = s.sessions().find(COOKIE.read(request));
    Optional<Principal> principal = session.flatMap(x -> s.principal(x.subject()));
    if (principal.isEmpty()) {
      session.ifPresent(x -> s.sessions().close(x.id()));
      return Web.json(response, callback, Reply.error(401, "NoSession", "sign in first"));
    }
    String method = request.getMethod();
    if (!Csrf.allows(request, session.get().csrf())) {
      return Web.json(
          response,
          callback,
          Reply.error(403, "CsrfRefused", "the request did not come from the console's own page"));
    }
    List<String> parts = new ArrayList<>();
    try {
      for (String p : rest.split("/")) {
        parts.add(URLDecoder.decode(p, StandardCharsets.UTF_8));
      }
    } catch (IllegalArgumentException e) {
      return Web.json(
          response, callback, Reply.error(400, "MalformedRequest", "the path is malformed"));
    }
    Call call =
        parts.isEmpty() || parts.get(0).isEmpty()
            ? null
            : parts.get(0).equals("buckets")
                    && !(parts.size() == 3 && parts.get(2).equals("residency"))
                ? storage.route(method, parts)
                : parts.get(0).equals("support-windows")
                    ? consent.route(method, parts)
                    : parts.get(0).equals("iam")
                        ? iam.route(method, parts)
                        : views.route(method, parts);
    if (call == null) {
      return Web.json(
          response,
          callback,
          Reply.error(404, "NotFound", "no such console call: " + method + " /api/" + rest));
    }
    Input in;
    try {
      in = new Input(request);
    } catch (IllegalArgumentException e) {
      return Web.json(
          response,
          callback,
          Reply.error(400, "MalformedRequest", "the query string is malformed"));
    }
    String key = in.query("key");
    ConsoleRecorder.Context ctx =
        new ConsoleRecorder.Context(
            requestId,
            Request.getRemoteAddr(request),
            request.isSecure(),
            call.operation(),
            call.bucket(),
            key);
    Reply reply;
    try {
      if (call.change()) {
        recorder.started(ctx, principal.get());
      }
      reply = call.action().run(principal.get(), in);
    } catch (AuditUnavailableException e) {
      return Web.json(response, callback, failure(e, requestId));
    } catch (CoffreException e) {
      reply = failure(e, requestId);
    } catch (BadBody e) {
      reply = Reply.error(e.status(), e.code(), e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      // The body ended early: the client's doing.
      reply = Reply.error(400, "IncompleteBody", "the request body could not be read");
    } catch (RuntimeException e) {
      LOG.error("console {} failed (request {})", call.operation(), requestId, e);
      reply = Reply.error(WebError.unexpected());
    }
    long out = reply.stream() != null ? reply.stream().length() : 0;
    try {
      recorder.finished(
          ctx,
          principal.get(),
          reply.status(),
          reply.errorCode(),
          in.bytesIn(),
          out,
          reply.audited());
    } catch (AuditUnavailableException e) {
      if (reply.stream() != null) {
        reply.stream().content().close();
      }
      return Web.json(response, callback, failure(e, requestId));
    }
    if (reply.stream() != null) {
      Web.download(response, callback, reply.stream());
      return true;
    }
    return Web.json(response, callback, reply);
  }

  /** A path as the log may show it: share tokens are capabilities, so they are cut out. */
  static String loggable(String path) {
    return path.startsWith("/s/") ? "/s/…" : path.startsWith("/api/share/") ? "/api/share/…" : path;
  }

  /**
   * The answer to a domain failure; one that is the server's own is logged, with the request id.
   */
  static Reply failure(CoffreException e, String requestId) {
    WebError error = WebError.of(e);
    if (error.serverFault()) {
      LOG.error("console: server failure (request {})", requestId, e);
    }
    return Reply.error(error);
  }

  /** The request as a call reads it. */
  final class Input implements Call.In {
    private final Request request;
    private final Map<String, String> query = new HashMap<>();
    private long bytesIn;
    private JsonNode json;

    Input(Request request) {
      this.request = request;
      Request.extractQueryParameters(request, StandardCharsets.UTF_8)
          .forEach(f -> query.putIfAbsent(f.getName(), f.getValue()));
    }

    @Override
    public String query(String name) {
      return query.get(name);
    }

    @Override
    public String header(String name) {
      return request.getHeaders().get(name);
    }

    @Override
    public InputStream body() {
      return new FilterInputStream(Content.Source.asInputStream(request)) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          bytesIn += b < 0 ? 0 : 1;
          return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          int n = super.read(buf, off, len);
          bytesIn += Math.max(n, 0);
          return n;
        }
      };
    }

    @Override
    public JsonNode json() throws IOException {
      if (json == null) {
        byte[] bytes;
        try (InputStream in = body()) {
          bytes = in.readNBytes(MAX_JSON + 1);
        }
        if (bytes.length > MAX_JSON) {
          throw new BadBody(413, "EntityTooLarge", "JSON bodies are limited to 64 KiB");
        }
        JsonNode parsed;
        try {
          parsed = bytes.length == 0 ? Web.JSON.createObjectNode() : Web.JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new BadBody(
              400, JsonProblem.CODE, "the request body is not JSON: " + JsonProblem.describe(e));
        }
        if (parsed == null || !parsed.isObject()) {
          throw new BadBody(400, JsonProblem.CODE, "the request body must be a JSON object");
        }
        json = parsed;
      }
      return json;
    }

    @Override
    public Map<String, List<String>> conditions() {
      return conditionsOf(request);
    }

    @Override
    public long bytesIn() {
      return bytesIn;
    }
  }

  /** The policy condition keys a console request gives. */
  static Map<String, List<String>> conditionsOf(Request request) {
    Map<String, List<String>> c = new HashMap<>();
    c.put("aws:SecureTransport", List.of(Boolean.toString(request.isSecure())));
    String ip = Request.getRemoteAddr(request);
    if (ip != null) {
      c.put("aws:SourceIp", Arrays.asList(ip));
    }
    return c;
  }
}
