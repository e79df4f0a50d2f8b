package fr.coffre.core;

/** The named object does not exist. */
public final class NoSuchKeyException extends CoffreException {
  private final String key;

  public NoSuchKeyException(String key) {
    super("The specified key does not exist.");
    this.key = key;
  }

  public String key() {
    return key;
  }
}
