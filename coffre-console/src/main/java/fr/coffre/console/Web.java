package fr.coffre.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * HTTP plumbing shared by the console's endpoints: security headers, JSON, pages and downloads.
 * Cookies, the Origin and CSRF checks and the error table are coffre-web's.
 */
public final class Web {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** Scripts, styles and forms from the page's own origin only; no framing. */
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

  private Web() {}

  /**
   * Headers every console answer carries. The no-referrer policy keeps share tokens out of Referer.
   */
  public static void secure(Response response) {
    var h = response.getHeaders();
    h.put("Content-Security-Policy", CSP);
    h.put("X-Content-Type-Options", "nosniff");
    h.put("X-Frame-Options", "DENY");
    h.put("Referrer-Policy", "no-referrer");
    h.put("Cross-Origin-Opener-Policy", "same-origin");
  }

  static boolean json(Response response, Callback callback, Reply reply) {
    byte[] bytes;
    if (reply.json() == null) {
      bytes = new byte[0];
    } else if (reply.json() instanceof TenantViews.RawJson raw) {
      bytes = raw.json().getBytes(StandardCharsets.UTF_8);
    } else {
      try {
        bytes = JSON.writeValueAsBytes(reply.json());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    response.setStatus(reply.status());
    if (bytes.length > 0) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }

  /** Streams a download as an attachment; returns the bytes sent. */
  static long download(Response response, Callback callback, Reply.Stream stream) {
    response.setStatus(200);
    var h = response.getHeaders();
    h.put(HttpHeader.CONTENT_TYPE, stream.contentType());
    h.put(HttpHeader.CONTENT_LENGTH, stream.length());
    h.put(HttpHeader.CACHE_CONTROL, "no-store");
    h.put("Content-Disposition", disposition(stream.fileName()));
    long sent = 0;
    try (InputStream in = stream.content();
        OutputStream out = Content.Sink.asOutputStream(response)) {
      sent = in.transferTo(out);
    } catch (IOException | RuntimeException e) {
      // The status line is gone: the client sees a short body, never data that failed its check.
      callback.failed(e);
      return sent;
    }
    callback.succeeded();
    return sent;
  }

  /** An attachment's Content-Disposition, with an ASCII fallback and the UTF-8 name (RFC 6266). */
  static String disposition(String name) {
    String ascii = name.replaceAll("[^\\x20-\\x7e]", "_").replace("\"", "_").replace("\\", "_");
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
  }

  static boolean html(Response response, Callback callback, int status, String html) {
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }

  /** Escapes text for HTML. */
  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
