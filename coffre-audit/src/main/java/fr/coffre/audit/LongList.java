package fr.coffre.audit;

import java.util.Arrays;

/** Growable list of longs: each record's location, by {@code seq - firstSeq}. */
final class LongList {
  private long[] values = new long[1024];
  private int size;

  void add(long v) {
    if (size == values.length) {
      if (size >= Integer.MAX_VALUE - 16) {
        return;
      }
      values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 16L, size * 2L));
    }
    values[size++] = v;
  }

  /** The value at {@code i}, or -1 when not kept. */
  long get(long i) {
    return i >= 0 && i < size ? values[(int) i] : -1;
  }
}
