package fr.coffre.web;

import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;

/**
 * The Origin check of the browser-facing edges, and the only one: a browser's {@code Origin}
 * header, when it sends one, must name this listener as the browser addressed it (same scheme, host
 * and port), so that a page of another site cannot make a signed-in browser act.
 *
 * <p>The listener's side is the request's own scheme and its {@code Host} (or HTTP/2 authority):
 * both it and {@code Origin} are written by the browser, which a cross-site page cannot make lie. A
 * request without {@code Origin} passes: it is not a cross-site browser call (browsers send it on
 * every cross-origin request and every non-GET fetch), and changes still need the CSRF token and
 * the {@code SameSite=Strict} cookie. The literal {@code null} origin (sandboxed frames, {@code
 * file:} pages) never matches.
 */
public final class OriginCheck {
  private OriginCheck() {}

  /** Whether the request's {@code Origin}, if any, is this listener. */
  public static boolean allows(Request request) {
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    HttpURI uri = request.getHttpURI();
    String authority = request.getHeaders().get(HttpHeader.HOST);
    if (authority == null) {
      authority = uri.getAuthority();
    }
    return matches(origin, request.isSecure() ? "https" : "http", authority);
  }

  /**
   * Whether {@code origin} (null when the request had none) names {@code scheme://authority}.
   * Scheme and host compare without case; a default port ({@code :80} for http, {@code :443} for
   * https) is the same as none.
   */
  public static boolean matches(String origin, String scheme, String authority) {
    if (origin == null) {
      return true;
    }
    if (scheme == null || authority == null || authority.isBlank()) {
      return false;
    }
    return canonical(origin).equals(canonical(scheme + "://" + authority.strip()));
  }

  private static String canonical(String origin) {
    String o = origin.toLowerCase(Locale.ROOT);
    if (o.startsWith("http://") && o.endsWith(":80")) {
      return o.substring(0, o.length() - 3);
    }
    if (o.startsWith("https://") && o.endsWith(":443")) {
      return o.substring(0, o.length() - 4);
    }
    return o;
  }
}
