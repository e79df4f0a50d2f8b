package fr.coffre.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An object key: 1 to 1024 bytes of UTF-8, opaque to every layer below the protocol. It is never
 * turned into a file path.
 */
public record ObjectKey(String value) implements Comparable<ObjectKey> {
  public static final int MAX_BYTES = 1024;

  public ObjectKey {
    if (value == null || value.isEmpty()) {
      throw new InvalidArgumentException("Object key must not be empty");
    }
    int len = value.getBytes(StandardCharsets.UTF_8).length;
    if (len > MAX_BYTES) {
      throw new KeyTooLongException(len);
    }
  }

  public byte[] utf8() {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  /** Orders keys by their UTF-8 bytes, as S3 lists them. */
  @Override
  public int compareTo(ObjectKey o) {
    return Arrays.compareUnsigned(utf8(), o.utf8());
  }

  @Override
  public String toString() {
    return value;
  }
}
