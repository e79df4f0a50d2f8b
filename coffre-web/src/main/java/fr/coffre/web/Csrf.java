package fr.coffre.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.jetty.server.Request;

/**
 * The CSRF check of cookie sessions, and the only one: the session's token, which the page got when
 * it signed in and a cross-site page cannot read, must come back in {@link #HEADER} on every call
 * that may change something, compared in constant time; and the call must pass the {@link
 * OriginCheck}.
 */
public final class Csrf {
  /** The header that carries the session's CSRF token. */
  public static final String HEADER = "X-Coffre-CSRF";

  private Csrf() {}

  /**
   * Whether a call with a session whose token is {@code expected} may go on: its Origin is this
   * listener, and, unless it is a {@code GET} or {@code HEAD}, it carries the token.
   */
  public static boolean allows(Request request, String expected) {
    if (!OriginCheck.allows(request)) {
      return false;
    }
    String method = request.getMethod();
    return method.equals("GET")
        || method.equals("HEAD")
        || matches(request.getHeaders().get(HEADER), expected);
  }

  /**
   * Whether the token {@code given} is {@code expected}, in time that does not depend on where they
   * differ.
   */
  public static boolean matches(String given, String expected) {
    if (given == null || expected == null || expected.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}
