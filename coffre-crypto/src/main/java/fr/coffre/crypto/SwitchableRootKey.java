package fr.coffre.crypto;

import java.security.GeneralSecurityException;

/**
 * The root key a running server holds: whatever key (or {@link RootKeyRing}) is in force, replaced
 * at once when an online rotation switches keys, so every service that was handed this object wraps
 * under the new key from then on without being rebuilt.
 *
 * <p>A writer may read the id of the old key and then wrap under the new one when a switch falls in
 * between; so an unwrap by key id that fails under the named key tries every key this holds
 * (AES-GCM authenticates: a wrong key fails, it never returns garbage).
 */
public final class SwitchableRootKey implements RootKey {
  private volatile RootKey current;

  public SwitchableRootKey(RootKey initial) {
    this.current = initial;
  }

  /** The key in force now. */
  public RootKey current() {
    return current;
  }

  /** Puts {@code next} in force for every call that starts from now on. */
  public void switchTo(RootKey next) {
    this.current = next;
  }

  @Override
  public String id() {
    return current.id();
  }

  @Override
  public byte[] wrap(byte[] dataKey, byte[] context) throws GeneralSecurityException {
    return current.wrap(dataKey, context);
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] context) throws GeneralSecurityException {
    return current.unwrap(wrapped, context);
  }

  @Override
  public boolean holds(String keyId) {
    return current.holds(keyId);
  }

  @Override
  public byte[] unwrap(String keyId, byte[] wrapped, byte[] context)
      throws GeneralSecurityException {
    RootKey key = current;
    try {
      return key.unwrap(keyId, wrapped, context);
    } catch (GeneralSecurityException named) {
      try {
        return key.unwrap(wrapped, context);
      } catch (GeneralSecurityException e) {
        named.addSuppressed(e);
        throw named;
      }
    }
  }

  @Override
  public String toString() {
    return "SwitchableRootKey[" + current + "]";
  }
}
