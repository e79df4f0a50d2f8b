package fr.coffre.crypto;

import java.security.GeneralSecurityException;

/**
 * The key at the top of the hierarchy: it only wraps and unwraps data keys, and never hands out its
 * own material (a later provider keeps it inside an HSM).
 */
public interface RootKey {

  /** A stable identifier stored beside every key it wraps, so the right key unwraps it later. */
  String id();

  /** Encrypts {@code dataKey} with authentication; {@code context} is bound as associated data. */
  byte[] wrap(byte[] dataKey, byte[] context) throws GeneralSecurityException;

  /** Reverses {@link #wrap}; fails if the wrapped bytes or the context were altered. */
  byte[] unwrap(byte[] wrapped, byte[] context) throws GeneralSecurityException;

  /**
   * Whether this key (or, for a {@link RootKeyRing}, one of its keys) is the root key {@code
   * keyId}, so that what it wrapped can be unwrapped here.
   */
  default boolean holds(String keyId) {
    return id().equals(keyId);
  }

  /**
   * Unwraps what the root key {@code keyId} wrapped (as recorded beside the wrapped bytes); fails
   * when this key does not hold it.
   */
  default byte[] unwrap(String keyId, byte[] wrapped, byte[] context)
      throws GeneralSecurityException {
    if (!holds(keyId)) {
      throw new GeneralSecurityException("wrapped by root key " + keyId + ", not " + id());
    }
    return unwrap(wrapped, context);
  }
}
