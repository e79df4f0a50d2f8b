package fr.coffre.admin;

/** The server's seal, as far as the admin API may see and change it. */
public interface SealControl {
  boolean sealed();

  /**
   * Unseals with {@code passphrase}; false if the passphrase is wrong (the server stays sealed).
   * Does nothing when not sealed.
   */
  boolean unseal(char[] passphrase);

  /** How the root key is kept: "file", "sealed" or "hsm", with its id once usable. */
  String rootKey();

  /** For a server whose root key is never sealed. */
  static SealControl never(String rootKey) {
    return new SealControl() {
      @Override
      public boolean sealed() {
        return false;
      }

      @Override
      public boolean unseal(char[] passphrase) {
        return true;
      }

      @Override
      public String rootKey() {
        return rootKey;
      }
    };
  }
}
