package fr.coffre.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The operations listener: {@code /health/live} (the process answers), {@code /health/ready}
 * (metadata store and volume usable: 200, else 503 naming what failed) and {@code /metrics}
 * (Prometheus text format). Served on its own address so that no bucket name is reserved. With an
 * ops token, {@code /metrics} asks for it as a bearer token; the health checks never do, since load
 * balancers and service managers probe them without credentials and they tell only up or down.
 */
final class OpsHandler extends Handler.Abstract {
  private final Metrics metrics;
  private final Supplier<Map<String, Boolean>> readiness;
  private final byte[] tokenHash;

  /**
   * @param readiness each check's name and whether it passes, evaluated per request
   * @param token the bearer token of {@code /metrics}, or null when it asks none
   */
  OpsHandler(Metrics metrics, Supplier<Map<String, Boolean>> readiness, String token) {
    super(InvocationType.BLOCKING);
    this.metrics = metrics;
    this.readiness = readiness;
    this.tokenHash = token == null ? null : sha256(token);
  }

  /** Whether an Authorization header value opens {@code /metrics} (constant-time compare). */
  boolean authorized(String authorization) {
    if (tokenHash == null) {
      return true;
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(tokenHash, sha256(authorization.substring(7).strip()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
      return answer(response, callback, 405, "text/plain", "method not allowed\n");
    }
    return switch (path) {
      case "/health/live" ->
          answer(response, callback, 200, "application/json", "{\"status\":\"up\"}\n");
      case "/health/ready" -> ready(response, callback);
      case "/metrics" -> metrics(request, response, callback);
      default -> answer(response, callback, 404, "text/plain", "not found\n");
    };
  }

  private boolean metrics(Request request, Response response, Callback callback) {
    if (!authorized(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"coffre-ops\"");
      return answer(response, callback, 401, "text/plain", "bearer token required\n");
    }
    return answer(
        response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
  }

  private boolean ready(Response response, Callback callback) {
    Map<String, Boolean> checks = readiness.get();
    boolean up = checks.values().stream().allMatch(Boolean::booleanValue);
    StringBuilder json =
        new StringBuilder("{\"status\":\"").append(up ? "up" : "down").append("\",\"checks\":{");
    checks.forEach(
        (name, ok) ->
            json.append(json.charAt(json.length() - 1) == '{' ? "" : ",")
                .append('"')
                .append(name)
                .append("\":\"")
                .append(ok ? "up" : "down")
                .append('"'));
    json.append("}}\n");
    return answer(response, callback, up ? 200 : 503, "application/json", json.toString());
  }

  private static boolean answer(
      Response response, Callback callback, int status, String type, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }
}
