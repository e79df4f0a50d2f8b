package fr.coffre.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The consoles' pages, scripts and styles, served from the classpath (they ship inside the jar).
 * Names are checked against a strict pattern, so no path reaches anything but these files.
 */
public final class StaticAssets {
  static final String ROOT = "fr/coffre/console/web/";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*(\\.[a-z0-9]+)+");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "json", "application/json; charset=utf-8",
          "ico", "image/x-icon",
          "png", "image/png");

  private final String index;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  /**
   * @param index the page served for {@code /} ({@code index.html} or {@code operator.html})
   */
  public StaticAssets(String index) {
    this.index = index;
  }

  /** Serves {@code GET /} and {@code GET /NAME}; 404 for anything else. */
  public boolean handle(Request request, Response response, Callback callback) {
    Web.secure(response);
    String path = request.getHttpURI().getPath();
    String method = request.getMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return Web.json(
          response,
          callback,
          Reply.error(405, "MethodNotAllowed", method + " is not allowed here"));
    }
    String name = path.equals("/") ? index : path.substring(1);
    return serve(name, request, response, callback);
  }

  /** Serves one named asset. */
  boolean serve(String name, Request request, Response response, Callback callback) {
    byte[] bytes = NAME.matcher(name).matches() ? load(name) : null;
    if (bytes == null) {
      return Web.json(response, callback, Reply.error(404, "NotFound", "no such page"));
    }
    String ext = name.substring(name.lastIndexOf('.') + 1);
    response.setStatus(200);
    response
        .getHeaders()
        .put(HttpHeader.CONTENT_TYPE, TYPES.getOrDefault(ext, "application/octet-stream"));
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    // Revalidated at every load: an upgrade is seen at once, and pages never hold data.
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    response.write(
        true,
        request.getMethod().equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes),
        callback);
    return true;
  }

  private byte[] load(String name) {
    return cache.computeIfAbsent(
        name,
        n -> {
          try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(ROOT + n)) {
            return in == null ? null : in.readAllBytes();
          } catch (IOException e) {
            return null;
          }
        });
  }
}
