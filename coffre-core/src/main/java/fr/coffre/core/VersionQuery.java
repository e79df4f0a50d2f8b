package fr.coffre.core;

import org.jspecify.annotations.Nullable;

/**
 * One page of a version listing (ListObjectVersions): the versions of keys that start with {@code
 * prefix}, keys in byte order and each key's versions newest first, starting after {@code
 * keyMarker} (all its versions) or, with {@code versionIdMarker}, after that version of it.
 *
 * @param delimiter null or non-empty
 * @param keyMarker null, or the key (or common prefix) the previous page ended with
 * @param versionIdMarker null, or the version of {@code keyMarker} the previous page ended with
 * @param maxKeys 0 to 1000: entries (versions plus common prefixes) in the page
 */
public record VersionQuery(
    String prefix,
    @Nullable String delimiter,
    @Nullable String keyMarker,
    @Nullable String versionIdMarker,
    int maxKeys) {
  public VersionQuery {
    prefix = prefix == null ? "" : prefix;
    delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
    keyMarker = keyMarker == null || keyMarker.isEmpty() ? null : keyMarker;
    versionIdMarker = versionIdMarker == null || versionIdMarker.isEmpty() ? null : versionIdMarker;
    if (maxKeys < 0) {
      throw new InvalidArgumentException("max-keys must not be negative");
    }
  }
}
