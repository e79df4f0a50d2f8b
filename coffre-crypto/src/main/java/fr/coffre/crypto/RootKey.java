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
}
