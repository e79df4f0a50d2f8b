package fr.coffre.core;

/** An object key longer than 1024 bytes of UTF-8. */
public final class KeyTooLongException extends CoffreException {
  public KeyTooLongException(int bytes) {
    super("Your key is too long: " + bytes + " bytes, the maximum is " + ObjectKey.MAX_BYTES);
  }
}
