package fr.coffre.admin;

import java.nio.ByteBuffer;
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

  /** @param token the operator's bearer token */
  public AdminHandler(AdminApi api, String token) {
    super(InvocationType.BLOCKING);
    this.api = api;
    this.tokenHash = sha256(token);
    this.principal = "operator (admin token sha256:" + HexFormat.of().formatHex(tokenHash, 0, 6) + ")";
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String address = Request.getRemoteAddr(request);
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (auth == null || !auth.startsWith("Bearer ")
        || !MessageDigest.isEqual(tokenHash, sha256(auth.substring(7).strip()))) {
      LOG.warn("admin call refused: missing or wrong token (from {})", address);
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
    AdminReply reply = api.handle(request.getMethod(), request.getHttpURI().getDecodedPath(), body,
        new AdminApi.Caller(principal, address));
    try {
      return answer(response, callback, reply);
    } catch (RuntimeException e) {
      // Never an exception page: the details go to the log, the caller gets a plain error.
      LOG.error("admin {} {} failed", request.getMethod(), request.getHttpURI().getDecodedPath(), e);
      return answer(response, callback, AdminReply.error(500, "InternalError", "internal error; see the server log"));
    }
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
