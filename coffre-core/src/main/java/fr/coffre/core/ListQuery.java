package fr.coffre.core;

import org.jspecify.annotations.Nullable;

/**
 * One page of a listing: keys that start with {@code prefix} and sort strictly after {@code after}
 * (by UTF-8 bytes), rolled up at the first {@code delimiter} following the prefix.
 *
 * @param prefix never null, may be empty
 * @param delimiter null or non-empty
 * @param after null, or the key or common prefix the previous page ended with
 * @param maxKeys 0 to 1000: entries (keys plus common prefixes) in the page
 */
public record ListQuery(
    String prefix, @Nullable String delimiter, @Nullable String after, int maxKeys) {
  public ListQuery {
    prefix = prefix == null ? "" : prefix;
    delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
    if (maxKeys < 0) {
      throw new InvalidArgumentException("max-keys must not be negative");
    }
  }
}
