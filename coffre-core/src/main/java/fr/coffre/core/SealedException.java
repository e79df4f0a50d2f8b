package fr.coffre.core;

/** The root key is still sealed: nothing can be encrypted or decrypted until it is unsealed. */
public final class SealedException extends CoffreException {
  public SealedException() {
    super("Coffre is sealed: the root key has not been unsealed with its passphrase yet");
  }
}
