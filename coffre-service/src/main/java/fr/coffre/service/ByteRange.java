package fr.coffre.service;

import fr.coffre.core.InvalidRangeException;

/**
 * A single byte range as a client asks for it: {@code first-last}, {@code first-} or the suffix
 * {@code -n}, resolved against an object's size by {@link #resolve}.
 *
 * @param first the first byte, or -1 for a suffix range
 * @param last the last byte (inclusive), or -1 for an open range; for a suffix range, the length
 */
public record ByteRange(long first, long last) {

  public static ByteRange suffix(long length) {
    return new ByteRange(-1, length);
  }

  /**
   * The slice of an object of {@code size} bytes this range selects; InvalidRangeException if none.
   */
  public Slice resolve(long size) {
    if (first < 0) {
      long n = Math.min(last, size);
      if (n <= 0) {
        throw new InvalidRangeException(size);
      }
      return new Slice(size - n, n);
    }
    if (first >= size) {
      throw new InvalidRangeException(size);
    }
    long end = last < 0 ? size - 1 : Math.min(last, size - 1);
    return new Slice(first, end - first + 1);
  }

  /** A resolved, non-empty run of bytes of an object. */
  public record Slice(long start, long length) {
    public long lastInclusive() {
      return start + length - 1;
    }
  }
}
