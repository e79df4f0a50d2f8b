package fr.coffre.server;

/**
 * A refusal of a key custody command, whose message is meant for the operator and says what to do.
 */
public final class CustodyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CustodyException(String message) {
    super(message);
  }

  public CustodyException(String message, Throwable cause) {
    super(message, cause);
  }
}
