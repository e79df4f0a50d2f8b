package fr.coffre.core;

/** A request that the policies in force do not allow (or explicitly deny). */
public final class AccessDeniedException extends CoffreException {
  public AccessDeniedException(String message) {
    super(message);
  }
}
