package fr.coffre.web;

import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * A browser session's cookie, and the only code that writes one: {@code HttpOnly} (no script reads
 * it), {@code SameSite=Strict} (no other site's page makes the browser send it), {@code Secure}
 * when the request came over TLS, and scoped to one path.
 *
 * <p>One exception, {@code lax}: the cookie that binds an OIDC sign-in's {@code state} to the
 * browser that started it must come back with the provider's redirect, a cross-site navigation, so
 * it is {@code SameSite=Lax}; it opens no session and lives a few minutes.
 *
 * @param name the cookie's name ({@code coffre_console}, {@code coffre_admin})
 * @param path the path the browser sends it to ({@code /}, {@code /admin})
 * @param lax {@code SameSite=Lax} instead of {@code Strict}
 */
public record SessionCookie(String name, String path, boolean lax) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

  /** Cookie-octets of RFC 6265: a value that could not end the attribute list. */
  private static final Pattern VALUE =
      Pattern.compile("[\\x21\\x23-\\x2b\\x2d-\\x3a\\x3c-\\x5b\\x5d-\\x7e]*");

  public SessionCookie {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "cookie name must be letters, digits, '_' or '-', not " + name);
    }
    if (path == null || !path.startsWith("/") || path.contains(";")) {
      throw new IllegalArgumentException(
          "cookie path must start with '/' and hold no ';', not " + path);
    }
  }

  /** A {@code SameSite=Strict} cookie: every session cookie. */
  public SessionCookie(String name, String path) {
    this(name, path, false);
  }

  /** The value the request carries under this cookie's name (the first, if several), or null. */
  public String read(Request request) {
    for (HttpCookie c : Request.getCookies(request)) {
      if (c.getName().equals(name)) {
        return c.getValue();
      }
    }
    return null;
  }

  /**
   * Sets the cookie to {@code sessionId} in the answer; {@code Secure} if the request came over
   * TLS.
   */
  public void set(Request request, Response response, String sessionId) {
    if (sessionId == null) {
      throw new IllegalArgumentException("a session id is required; use clear() to end a session");
    }
    response.getHeaders().add(HttpHeader.SET_COOKIE, header(sessionId, request.isSecure()));
  }

  /** Tells the browser to forget the cookie. */
  public void clear(Request request, Response response) {
    response.getHeaders().add(HttpHeader.SET_COOKIE, header(null, request.isSecure()));
  }

  /**
   * The {@code Set-Cookie} value.
   *
   * @param sessionId the value, or null for a cookie that clears itself ({@code Max-Age=0})
   * @param secure whether the browser may send it over TLS only
   */
  public String header(String sessionId, boolean secure) {
    if (sessionId != null && !VALUE.matcher(sessionId).matches()) {
      throw new IllegalArgumentException("a session id must be cookie-safe ASCII");
    }
    StringBuilder b =
        new StringBuilder(name)
            .append('=')
            .append(sessionId == null ? "" : sessionId)
            .append("; Path=")
            .append(path)
            .append(lax ? "; HttpOnly; SameSite=Lax" : "; HttpOnly; SameSite=Strict");
    if (secure) {
      b.append("; Secure");
    }
    if (sessionId == null) {
      b.append("; Max-Age=0");
    }
    return b.toString();
  }
}
