package fr.coffre.core;

/** A request argument is malformed or out of range. */
public final class InvalidArgumentException extends CoffreException {
  public InvalidArgumentException(String message) {
    super(message);
  }
}
