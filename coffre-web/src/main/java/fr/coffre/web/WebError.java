package fr.coffre.web;

import fr.coffre.core.CoffreException;

/**
 * An error answer of a browser-facing edge: its status and the JSON body {@code {"error": CODE,
 * "message": TEXT}} that the admin API and the consoles both send.
 */
public record WebError(int status, String code, String message) {
  /** What the caller reads when the details are the server's own (they are in its log). */
  public static final String INTERNAL_MESSAGE = "internal error; see the server log";

  public WebError {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an error status is 4xx or 5xx, not " + status);
    }
    if (code == null || code.isBlank()) {
      throw new IllegalArgumentException("an error needs a code");
    }
    if (message == null) {
      throw new IllegalArgumentException("an error needs a message (" + code + ")");
    }
  }

  /**
   * The answer to a domain failure, after {@link ErrorMapping}; its message only if safe to show.
   */
  public static WebError of(CoffreException e) {
    ErrorMapping m = ErrorMapping.of(e);
    boolean safe = m.messageIsSafe() && e.messageIsPublic() && e.getMessage() != null;
    return new WebError(m.status(), m.code(), safe ? e.getMessage() : withheld(m.status()));
  }

  /**
   * The answer to a failure nobody expected (a bug, a broken dependency): its details are logged
   * only.
   */
  public static WebError unexpected() {
    return new WebError(500, "InternalError", INTERNAL_MESSAGE);
  }

  /**
   * Whether the fault is the server's: the edge logs the exception with the request id. A storage
   * failure (503 ServiceUnavailable) is one too; the other 503s (sealed, audit, placement) are
   * states the operator already sees.
   */
  public boolean serverFault() {
    return status == 500 || code.equals("ServiceUnavailable");
  }

  /** The JSON body. */
  public Body body() {
    return new Body(code, message);
  }

  /** The JSON body of an error: {@code {"error": CODE, "message": TEXT}}. */
  public record Body(String error, String message) {}

  private static String withheld(int status) {
    return status == 403
        ? "Access Denied"
        : status == 503
            ? "the service cannot reach its storage right now; nothing was changed, please retry"
            : INTERNAL_MESSAGE;
  }
}
