package fr.coffre.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The root keys of a data directory during and after a rotation: the current key wraps everything
 * new, the retired keys (by id) still unwrap what they wrapped until the re-wrap pass has moved it
 * under the current key and the pin no longer lists them (docs/key-custody.md).
 *
 * <p>What records the id of its wrapping key (data keys, KMS material, the signing key) is
 * unwrapped by that key directly ({@link #unwrap(String, byte[], byte[])}). What does not (sealed
 * access-key secrets, operators' TOTP secrets, the root credentials, the pin's check value) is
 * tried under the current key, then under each retired key: AES-GCM authenticates, so a wrong key
 * fails rather than returning garbage.
 */
public final class RootKeyRing implements RootKey {
  private final RootKey current;
  private final Map<String, RootKey> retired;

  private RootKeyRing(RootKey current, Map<String, RootKey> retired) {
    this.current = current;
    this.retired = retired;
  }

  /**
   * The current key alone when nothing is retired, else a ring of both.
   *
   * @param retired the retired keys by the id the pin lists them under (a sealed key's id is known
   *     before it is unsealed)
   */
  public static RootKey of(RootKey current, Map<String, RootKey> retired) {
    if (retired.isEmpty()) {
      return current;
    }
    return ring(current, retired);
  }

  /** A ring of {@code current} and {@code retired}, even when none is retired. */
  public static RootKeyRing ring(RootKey current, Map<String, RootKey> retired) {
    return new RootKeyRing(current, new LinkedHashMap<>(retired));
  }

  /** The current key: the one that wraps. */
  public RootKey current() {
    return current;
  }

  /** The ids of the retired keys, oldest first. */
  public List<String> retiredIds() {
    return List.copyOf(retired.keySet());
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
    try {
      return current.unwrap(wrapped, context);
    } catch (GeneralSecurityException first) {
      for (RootKey old : retired.values()) {
        try {
          return old.unwrap(wrapped, context);
        } catch (GeneralSecurityException e) {
          first.addSuppressed(e);
        }
      }
      throw first;
    }
  }

  /**
   * What {@code wrapped} holds, wrapped again by the current key; null when the current key already
   * wrapped it (a resumed re-wrap pass skips it). For values that do not record the id of their
   * wrapping key.
   *
   * @throws GeneralSecurityException when no key of the ring opens it
   */
  public byte @Nullable [] rewrap(byte[] wrapped, byte[] context) throws GeneralSecurityException {
    try {
      Arrays.fill(current.unwrap(wrapped, context), (byte) 0);
      return null;
    } catch (GeneralSecurityException underCurrent) {
      byte[] plain = unwrap(wrapped, context);
      try {
        return current.wrap(plain, context);
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  @Override
  public boolean holds(String keyId) {
    return retired.containsKey(keyId) || current.holds(keyId);
  }

  @Override
  public byte[] unwrap(String keyId, byte[] wrapped, byte[] context)
      throws GeneralSecurityException {
    RootKey old = retired.get(keyId);
    if (old != null) {
      return old.unwrap(wrapped, context);
    }
    return current.unwrap(keyId, wrapped, context);
  }

  @Override
  public String toString() {
    return "RootKeyRing[" + current + ", retired " + retired.keySet() + "]";
  }
}
