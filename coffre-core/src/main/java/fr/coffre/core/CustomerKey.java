package fr.coffre.core;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A key the client sends with each request (SSE-C) and Coffre never stores: it wraps the object's
 * data key, and only a salted keyed hash of it is kept to tell a wrong key from a right one.
 */
public final class CustomerKey {
  private final byte[] key;

  /**
   * @param key the 32 raw bytes (AES-256)
   */
  public CustomerKey(byte[] key) {
    if (key == null || key.length != 32) {
      throw new IllegalArgumentException("a customer key is 32 bytes");
    }
    this.key = key.clone();
  }

  /** A copy of the raw key, for the crypto layer. */
  public byte[] bytes() {
    return key.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CustomerKey c && MessageDigest.isEqual(key, c.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "CustomerKey[hidden]";
  }
}
