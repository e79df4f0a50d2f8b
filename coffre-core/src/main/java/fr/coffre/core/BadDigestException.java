package fr.coffre.core;

/** The content does not match the digest the client sent with it. */
public final class BadDigestException extends CoffreException {
  public BadDigestException(String message) {
    super(message);
  }
}
