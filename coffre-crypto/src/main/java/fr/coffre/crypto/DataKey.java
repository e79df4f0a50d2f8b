package fr.coffre.crypto;

import java.util.Arrays;

/**
 * A per-object data key: its plaintext material (held only in memory, wiped on close) and the same
 * key wrapped by the root key named {@link #keyRef()}, which is what gets stored.
 */
public final class DataKey implements AutoCloseable {
  private final String keyRef;
  private final byte[] wrapped;
  private final byte[] material;

  DataKey(String keyRef, byte[] wrapped, byte[] material) {
    this.keyRef = keyRef;
    this.wrapped = wrapped.clone();
    this.material = material;
  }

  public String keyRef() {
    return keyRef;
  }

  public byte[] wrapped() {
    return wrapped.clone();
  }

  byte[] material() {
    return material;
  }

  @Override
  public void close() {
    Arrays.fill(material, (byte) 0);
  }

  @Override
  public String toString() {
    return "DataKey[" + keyRef + "]"; // never the material
  }
}
