package fr.coffre.admin;

/** The server's seal, as far as the admin API may see and change it. */
public interface SealControl {
  /** What an unseal call did. */
  enum Outcome {
    /** The passphrase is right (and the key open, or already open). */
    UNSEALED,
    /** The passphrase does not open the sealed key; nothing changed. */
    WRONG_PASSPHRASE,
    /** There is no sealed key yet: it must be created explicitly first. */
    NOT_CREATED,
    /** The root key is not passphrase-sealed: there is nothing to unseal. */
    NOT_SEALABLE
  }

  boolean sealed();

  /**
   * Unseals with {@code passphrase}. Even when already unsealed the passphrase is checked, so a
   * wrong one is always {@link Outcome#WRONG_PASSPHRASE}. Never creates the sealed key.
   */
  Outcome unseal(char[] passphrase);

  /**
   * Creates the sealed key under {@code passphrase}.
   *
   * @throws IllegalArgumentException when the passphrase is too weak (the message says why)
   * @throws IllegalStateException when the key already exists or the root key is not sealable
   */
  void create(char[] passphrase);

  /** How the root key is kept: "file", "sealed" or "hsm", with its id once usable. */
  String rootKey();

  /** For a server whose root key is never sealed. */
  static SealControl never(String rootKey) {
    return never(() -> rootKey);
  }

  /**
   * For a server whose root key is never sealed, and may change while it runs (an online rotation):
   * {@code rootKey} is asked at each call.
   */
  static SealControl never(java.util.function.Supplier<String> rootKey) {
    return new SealControl() {
      @Override
      public boolean sealed() {
        return false;
      }

      @Override
      public Outcome unseal(char[] passphrase) {
        return Outcome.NOT_SEALABLE;
      }

      @Override
      public void create(char[] passphrase) {
        throw new IllegalStateException(
            "this server's root key (" + rootKey.get() + ") is not passphrase-sealed");
      }

      @Override
      public String rootKey() {
        return rootKey.get();
      }
    };
  }
}
